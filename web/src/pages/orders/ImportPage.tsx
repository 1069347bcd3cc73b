import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Radio, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { downloadFile, rawFetch } from '../../app/api';
import { showError } from '../../app/problem';
import { jsonFetch } from '../catalog/page-kit';
import { useOrderT } from './i18n';
import type { ImportJob } from './types';

/** Excel import with a template, a draft/submit choice, live progress and the per-row report. */
export function ImportPage() {
  const ot = useOrderT();
  const [mode, setMode] = useState<'draft' | 'submit'>('draft');
  const [jobId, setJobId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { data: job } = useQuery({
    queryKey: ['orders', 'import', jobId],
    enabled: !!jobId,
    queryFn: () => jsonFetch<ImportJob>(`/api/orders/imports/${jobId}`),
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 500 : false),
  });
  const upload = async (file: File) => {
    setBusy(true);
    try {
      const form = new FormData();
      form.append('mode', mode);
      form.append('file', file);
      const res = await rawFetch('/api/orders/imports', { method: 'POST', body: form });
      setJobId(((await res.json()) as ImportJob).id);
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={ot('importPage.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Alert type="info" showIcon title={ot('importPage.hint')} />
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void downloadFile('/api/orders/import/template.xlsx', 'order-import-template.xlsx').catch(showError)}
            data-testid="import-template"
          >
            {ot('importPage.template')}
          </Button>
          <Typography.Text>{ot('importPage.mode')}</Typography.Text>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'draft' | 'submit')} data-testid="import-mode">
            <Radio value="draft">{ot('importPage.modeDraft')}</Radio>
            <Radio value="submit">{ot('importPage.modeSubmit')}</Radio>
          </Radio.Group>
          <Upload
            accept=".xlsx"
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button type="primary" icon={<UploadOutlined />} loading={busy} data-testid="import-file">
              {ot('importPage.choose')}
            </Button>
          </Upload>
        </Space>
        {job && (
          <>
            <Progress
              percent={job.total ? Math.round((job.processed * 100) / job.total) : 100}
              status={job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : 'active'}
              data-testid="import-progress"
            />
            <Typography.Text data-testid="import-summary">
              {ot('importPage.progress', { processed: job.processed, total: job.total })} ·{' '}
              {ot('importPage.result', { created: job.created, skipped: job.skipped, failed: job.failed })}
            </Typography.Text>
            {job.error && <Alert type="error" title={job.error} />}
            {job.status !== 'running' && (
              <Button icon={<DownloadOutlined />} onClick={() => void downloadFile(`/api/orders/imports/${job.id}/report.xlsx`, 'order-import-report.xlsx').catch(showError)}>
                {ot('importPage.downloadReport')}
              </Button>
            )}
            <Table
              size="small"
              title={() => ot('importPage.report')}
              rowKey="row"
              dataSource={job.report}
              pagination={{ pageSize: 50 }}
              data-testid="import-report"
              columns={[
                { title: ot('importPage.row'), dataIndex: 'row', width: 70 },
                {
                  title: ot('importPage.ok'),
                  width: 140,
                  render: (_, r: ImportJob['report'][number]) =>
                    r.skipped ? (
                      <Tag>{ot('importPage.skipped')}</Tag>
                    ) : r.ok ? (
                      <Tag color="green">{ot('importPage.created')}</Tag>
                    ) : (
                      <Tag color="red">{ot('importPage.error')}</Tag>
                    ),
                },
                { title: ot('field.number'), render: (_, r: ImportJob['report'][number]) => (r.orderId ? <Link to={`/orders/${r.orderId}`}>{r.orderNumber}</Link> : '—') },
                {
                  title: ot('importPage.error'),
                  render: (_, r: ImportJob['report'][number]) => r.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; '),
                },
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
