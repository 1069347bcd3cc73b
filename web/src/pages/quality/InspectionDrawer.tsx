import { FilePdfOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Image, List, Space, Tag, Typography, Upload, type UploadProps } from 'antd';
import { useState } from 'react';
import { rawFetch } from '../../app/api';
import { useAuth } from '../../app/auth';
import { ApiError } from '../../app/problem';
import { useMessage } from '../../app/feedback';
import { errorText, http } from './http';
import { useQualityT } from './i18n';

type FileInfo = { id: string; kind: 'photo' | 'lab_report'; filename: string; contentType: string; size: number; uploadedBy: string; createdAt: string };
type Detail = {
  id: string;
  number: string;
  stage: string;
  standardName?: string;
  inspectedOn: string;
  sampleSize: number;
  result: 'pass' | 'fail';
  status: 'draft' | 'signed';
  signedBy: string | null;
  signedAt: string | null;
  labReportNo: string | null;
  lotDecision: string | null;
  values: { code: string; value: unknown; pass: boolean }[];
  attachments: { kind: string; name: string; url: string }[];
  files: FileInfo[];
};

const PHOTO_TYPES = 'image/jpeg,image/png,image/webp';
const REPORT_TYPES = `${PHOTO_TYPES},application/pdf`;
const MAX_MB = 10;
const kb = (n: number) => (n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** One inspection: values, signature, and its photos (thumbnails) and lab reports; QC may add files, also after signing. */
export function InspectionDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useQualityT();
  const { can } = useAuth();
  const qc = useQueryClient();
  const msg = useMessage();
  const [error, setError] = useState<string | null>(null);
  const url = `/api/quality/inspections/${id}`;
  const q = useQuery({ queryKey: [url], queryFn: () => http<Detail>('GET', url) });
  const d = q.data;
  const fileUrl = (f: FileInfo) => `${url}/files/${f.id}`;

  const uploader = (kind: 'photo' | 'lab_report'): UploadProps => ({
    accept: kind === 'photo' ? PHOTO_TYPES : REPORT_TYPES,
    multiple: true,
    showUploadList: false,
    beforeUpload: (file) => {
      if (file.size > MAX_MB * 1024 * 1024) {
        setError(t('files.tooLarge', { mb: MAX_MB }));
        return Upload.LIST_IGNORE;
      }
      return true;
    },
    customRequest: ({ file, onSuccess, onError }) => {
      setError(null);
      const body = new FormData();
      body.append('kind', kind);
      body.append('file', file as Blob);
      rawFetch(`${url}/files`, { method: 'POST', body })
        .then(async (res) => {
          onSuccess?.(await res.json());
          await qc.invalidateQueries({ queryKey: [url] });
          void msg.success(t('files.uploaded'));
        })
        .catch((err: unknown) => {
          setError(err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : errorText(err));
          onError?.(err as Error);
        });
    },
  });

  const photos = d?.files.filter((f) => f.kind === 'photo') ?? [];
  const reports = d?.files.filter((f) => f.kind === 'lab_report') ?? [];
  const mayUpload = can('quality:inspect');
  return (
    <Drawer open width={720} title={d ? `${t('insp.number')} ${d.number}` : '…'} onClose={onClose} data-testid="inspection-drawer" loading={q.isLoading}>
      {d && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('insp.standard')}>{d.standardName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('insp.stage')}>{t(`stages.${d.stage as 'finished'}`)}</Descriptions.Item>
            <Descriptions.Item label={t('insp.date')}>{d.inspectedOn}</Descriptions.Item>
            <Descriptions.Item label={t('insp.sampleSize')}>{d.sampleSize}</Descriptions.Item>
            <Descriptions.Item label={t('insp.result')}>
              <Tag color={d.result === 'pass' ? 'green' : 'red'}>{t(`insp.${d.result}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('insp.status')}>
              {t(`insp.${d.status}`)}
              {d.signedBy ? ` · ${d.signedBy}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('insp.labReport')}>{d.labReportNo ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('insp.decision')}>{d.lotDecision ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('insp.values')} span={2}>
              {d.values.map((v) => (
                <Tag key={v.code} color={v.pass ? 'default' : 'red'}>{`${v.code}=${String(v.value)}`}</Tag>
              ))}
            </Descriptions.Item>
          </Descriptions>
          {d.status === 'signed' && mayUpload && <Typography.Text type="secondary">{t('files.signedNote')}</Typography.Text>}
          {error && <Alert type="error" showIcon message={error} data-testid="inspection-file-error" closable onClose={() => setError(null)} />}

          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('files.photos')}
          </Typography.Title>
          <Space wrap data-testid="inspection-photos">
            <Image.PreviewGroup>
              {photos.map((f) => (
                <Image
                  key={f.id}
                  src={fileUrl(f)}
                  alt={f.filename}
                  width={104}
                  height={104}
                  style={{ objectFit: 'cover', borderRadius: 6, border: '1px solid #f0f0f0' }}
                  data-testid="inspection-photo"
                />
              ))}
            </Image.PreviewGroup>
            {mayUpload && (
              <Upload {...uploader('photo')} listType="picture-card" data-testid="upload-photo">
                <div>
                  <PlusOutlined />
                  <div style={{ marginTop: 4 }}>{t('files.addPhoto')}</div>
                </div>
              </Upload>
            )}
            {!photos.length && !mayUpload && <Typography.Text type="secondary">—</Typography.Text>}
          </Space>

          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('files.reports')}
          </Typography.Title>
          <List
            size="small"
            bordered
            data-testid="inspection-reports"
            dataSource={[
              ...reports.map((f) => ({ key: f.id, href: fileUrl(f), name: f.filename, pdf: f.contentType === 'application/pdf', meta: `${kb(f.size)} · ${f.uploadedBy}` })),
              ...d.attachments.map((a, i) => ({ key: `url-${i}`, href: a.url, name: a.name, pdf: a.name.toLowerCase().endsWith('.pdf'), meta: t('files.linked') })),
            ]}
            locale={{ emptyText: t('files.none') }}
            renderItem={(r) => (
              <List.Item>
                <Space>
                  {r.pdf ? <FilePdfOutlined style={{ color: '#cf1322' }} /> : <PaperClipOutlined />}
                  <a href={r.href} target="_blank" rel="noreferrer">
                    {r.name}
                  </a>
                  <Typography.Text type="secondary">{r.meta}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
          {mayUpload && (
            <Upload {...uploader('lab_report')} data-testid="upload-report">
              <Button icon={<UploadOutlined />}>{t('files.addReport')}</Button>
            </Upload>
          )}
          <Typography.Text type="secondary">{t('files.hint', { mb: MAX_MB })}</Typography.Text>
        </Space>
      )}
    </Drawer>
  );
}
