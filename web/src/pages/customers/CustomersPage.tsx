import { DownloadOutlined, PlusOutlined, UploadOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Form, Modal, Select, Space, Table, Tag, Tooltip, Upload } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { downloadFile } from '../../app/api';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { useMessage } from '../../app/feedback';
import { formatDate } from '../../app/format';
import { ApiError, showError } from '../../app/problem';
import { formatFen, LooseListPage, uploadFile, useRefreshList } from '../catalog/page-kit';
import { CustomerFormDrawer } from './CustomerFormDrawer';
import { useCustomerT } from './i18n';
import { RegionCascader } from './RegionCascader';
import { CUSTOMER_STATUS_COLORS, type CustomerSummary } from './types';

const ENDPOINT = '/api/customers';

type ImportError = { row: string; field: string; message: string };

function ImportModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const ct = useCustomerT();
  const message = useMessage();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ImportError[]>([]);

  const run = async (file: File) => {
    setBusy(true);
    setErrors([]);
    try {
      const res = await uploadFile<{ imported: number }>('/api/customers/import', file);
      void message.success(ct('importDone', { count: res.imported }));
      onDone();
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length) {
        setErrors(
          error.problem.errors.map((e) => {
            const [, row = '', ...rest] = e.field.split('.');
            return { row, field: rest.join('.'), message: e.message };
          }),
        );
      }
      showError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} onCancel={onClose} footer={null} title={ct('importTitle')} width={720} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert type="info" showIcon title={ct('importHint')} />
        <Space>
          <Button icon={<DownloadOutlined />} onClick={() => void downloadFile('/api/customers/import-template.xlsx', 'customers-template.xlsx').catch(showError)}>
            {ct('importTemplate')}
          </Button>
          <Upload
            accept=".xlsx"
            showUploadList={false}
            beforeUpload={(file) => {
              void run(file);
              return false;
            }}
          >
            <Button type="primary" icon={<UploadOutlined />} loading={busy} data-testid="customer-import-file">
              {ct('importChoose')}
            </Button>
          </Upload>
        </Space>
        {errors.length > 0 && (
          <Table<ImportError>
            size="small"
            title={() => ct('importErrors')}
            rowKey={(e) => `${e.row}.${e.field}.${e.message}`}
            dataSource={errors}
            pagination={false}
            scroll={{ y: 320 }}
            columns={[
              { title: ct('row'), dataIndex: 'row', width: 80 },
              { title: ct('column'), dataIndex: 'field', width: 160 },
              { title: ct('message'), dataIndex: 'message' },
            ]}
          />
        )}
      </Space>
    </Modal>
  );
}

/** Customer list: search by name, code or phone; filters; Excel import and export. */
export function CustomersPage() {
  const ct = useCustomerT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const refresh = useRefreshList(ENDPOINT);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const canManage = can('customers:manage');

  const columns: ListColumn<CustomerSummary>[] = [
    { title: ct('field.code'), dataIndex: 'code', sortField: 'code', render: (_, c) => <Link to={`/customers/${c.id}`}>{c.code}</Link> },
    { title: ct('field.name'), dataIndex: 'name', sortField: 'name' },
    { title: ct('field.kind'), dataIndex: 'kind', render: (_, c) => ct(`kind.${c.kind}`) },
    { title: ct('field.status'), dataIndex: 'status', sortField: 'status', render: (_, c) => <Tag color={CUSTOMER_STATUS_COLORS[c.status]}>{ct(`status.${c.status}`)}</Tag> },
    { title: ct('field.region'), dataIndex: 'regionName', sortField: 'regionCode', render: (_, c) => c.regionName ?? '—' },
    { title: ct('field.creditLimit'), dataIndex: 'creditLimitFen', sortField: 'creditLimitFen', align: 'right', render: (_, c) => formatFen(c.creditLimitFen) },
    { title: ct('field.creditRating'), dataIndex: 'creditRating', sortField: 'creditRating' },
    { title: ct('field.paymentTermsDays'), dataIndex: 'paymentTermsDays', align: 'right' },
    { title: ct('field.salesOwner'), dataIndex: 'salesOwnerName', render: (_, c) => c.salesOwnerName ?? '—' },
    { title: ct('field.group'), dataIndex: 'group', render: (_, c) => c.group ?? '—' },
    {
      title: ct('field.tags'),
      dataIndex: 'tags',
      render: (_, c) => (
        <Space size={[0, 4]} wrap>
          {c.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: ct('field.nextExpiry'),
      dataIndex: 'nextQualificationExpiry',
      render: (_, c) => {
        const d = c.nextQualificationExpiry;
        if (!d) return '—';
        const soon = new Date(d).getTime() - Date.now() < 30 * 86_400_000;
        return soon ? (
          <Tooltip title={ct('qual.expiringSoon')}>
            <span style={{ color: '#cf1322' }}>
              <WarningOutlined /> {formatDate(d)}
            </span>
          </Tooltip>
        ) : (
          formatDate(d)
        );
      },
    },
  ];

  return (
    <>
      <LooseListPage<CustomerSummary>
        endpoint={ENDPOINT}
        title={ct('title')}
        rowKey="id"
        columns={columns}
        defaultSort="code"
        keyword={{ placeholder: ct('keyword') }}
        tableProps={{ onRow: (c: CustomerSummary) => ({ onDoubleClick: () => void navigate(`/customers/${c.id}`) }) }}
        toQuery={(v) => ({ ...v, qualificationAlert: v.qualificationAlert ? 'true' : undefined })}
        filters={
          <>
            <Form.Item name="status">
              <Select
                allowClear
                placeholder={ct('filter.status')}
                style={{ width: 120 }}
                options={(['prospect', 'active', 'suspended'] as const).map((s) => ({ value: s, label: ct(`status.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="kind">
              <Select
                allowClear
                placeholder={ct('filter.kind')}
                style={{ width: 120 }}
                options={(['company', 'individual'] as const).map((k) => ({ value: k, label: ct(`kind.${k}`) }))}
              />
            </Form.Item>
            <Form.Item name="regionCode">
              <RegionCascader placeholder={ct('filter.region')} style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="creditRating">
              <Select allowClear placeholder={ct('filter.rating')} style={{ width: 110 }} options={['A', 'B', 'C', 'D'].map((r) => ({ value: r, label: r }))} />
            </Form.Item>
            <Form.Item name="qualificationAlert" valuePropName="checked">
              <Checkbox>{ct('alertOnly')}</Checkbox>
            </Form.Item>
          </>
        }
        toolbar={
          canManage && (
            <>
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                {ct('import')}
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-create">
                {ct('create')}
              </Button>
            </>
          )
        }
      />
      <CustomerFormDrawer
        open={creating}
        customer={null}
        onClose={() => setCreating(false)}
        onSaved={(c) => {
          setCreating(false);
          void refresh();
          void navigate(`/customers/${c.id}`);
        }}
      />
      <ImportModal
        open={importing}
        onClose={() => setImporting(false)}
        onDone={() => {
          setImporting(false);
          void refresh();
        }}
      />
    </>
  );
}
