import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Checkbox, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDateTime } from '../../app/format';
import { jsonFetch, LooseListPage, useRefreshList } from '../catalog/page-kit';
import { FormModal } from '../procurement/kit';
import { EXCEPTION_TYPES, SEVERITIES, SEVERITY_COLORS, STATUS_COLORS, STATUSES, useTrackT, type Exc } from './i18n';
import { AssigneePicker } from './kit';

const ENDPOINT = '/api/tracking/exceptions';
type Cell = { status: (typeof STATUSES)[number]; severity: (typeof SEVERITIES)[number]; count: number; overdue: number };

/** The exceptions board: counts by status and severity, the list (search, filter, sort, export) and opening one by hand. */
export function ExceptionsPage() {
  const tt = useTrackT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const refresh = useRefreshList(ENDPOINT);
  const [creating, setCreating] = useState(false);
  const board = useQuery({ queryKey: ['exception-board'], queryFn: () => jsonFetch<{ cells: Cell[] }>(`${ENDPOINT}/board`) });
  const cell = (status: Cell['status'], severity: Cell['severity']) => board.data?.cells.find((c) => c.status === status && c.severity === severity);
  const due = (at: string, overdue: boolean) => <span style={overdue ? { color: '#cf1322', fontWeight: 600 } : undefined}>{formatDateTime(at)}</span>;
  const columns: ListColumn<Exc>[] = [
    { title: tt('f.number'), dataIndex: 'number', sortField: 'number', render: (_, x) => <Link to={`/exceptions/${x.id}`}>{x.number}</Link> },
    { title: tt('f.type'), dataIndex: 'type', render: (_, x) => tt(`type.${x.type}`) },
    { title: tt('f.severity'), dataIndex: 'severity', sortField: 'severity', render: (_, x) => <Tag color={SEVERITY_COLORS[x.severity]}>{tt(`sev.${x.severity}`)}</Tag> },
    { title: tt('f.status'), dataIndex: 'status', sortField: 'status', render: (_, x) => <Tag color={STATUS_COLORS[x.status]}>{tt(`st.${x.status}`)}</Tag> },
    { title: tt('f.title'), dataIndex: 'title' },
    { title: tt('f.owner'), dataIndex: 'ownerName', render: (_, x) => x.ownerName ?? '—' },
    { title: tt('f.responseDue'), dataIndex: 'responseDueAt', sortField: 'responseDueAt', render: (_, x) => due(x.responseDueAt, x.responseOverdue) },
    { title: tt('f.resolutionDue'), dataIndex: 'resolutionDueAt', sortField: 'resolutionDueAt', render: (_, x) => due(x.resolutionDueAt, x.resolutionOverdue) },
    { title: tt('f.level'), dataIndex: 'escalationLevel', sortField: 'escalationLevel', render: (_, x) => tt(`lvl.l${Math.min(x.escalationLevel, 2)}` as 'lvl.l0') },
    { title: tt('f.createdAt'), dataIndex: 'createdAt', sortField: 'createdAt', render: (_, x) => formatDateTime(x.createdAt) },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small" title={tt('board')} data-testid="exception-board">
        <Table<{ status: Cell['status'] }>
          size="small"
          pagination={false}
          rowKey="status"
          dataSource={STATUSES.map((status) => ({ status }))}
          columns={[
            { title: tt('f.status'), dataIndex: 'status', render: (s: Cell['status']) => <Tag color={STATUS_COLORS[s]}>{tt(`st.${s}`)}</Tag> },
            ...SEVERITIES.map((sev) => ({
              title: <Tag color={SEVERITY_COLORS[sev]}>{tt(`sev.${sev}`)}</Tag>,
              key: sev,
              render: (_: unknown, r: { status: Cell['status'] }) => {
                const c = cell(r.status, sev);
                if (!c) return '0';
                return (
                  <Space>
                    <span>{c.count}</span>
                    {c.overdue > 0 && <Badge color="red" text={tt('overdueCount', { count: c.overdue })} />}
                  </Space>
                );
              },
            })),
          ]}
        />
      </Card>
      <LooseListPage<Exc>
        endpoint={ENDPOINT}
        title={tt('exceptions')}
        rowKey="id"
        columns={columns}
        defaultSort="-createdAt"
        keyword={{ placeholder: tt('exceptionKeyword') }}
        tableProps={{ onRow: (x: Exc) => ({ onDoubleClick: () => void navigate(`/exceptions/${x.id}`) }) }}
        toQuery={(v) => ({ ...v, overdue: v.overdue ? 'true' : undefined })}
        filters={
          <>
            <Form.Item name="status">
              <Select allowClear placeholder={tt('f.status')} style={{ width: 110 }} options={STATUSES.map((s) => ({ value: s, label: tt(`st.${s}`) }))} />
            </Form.Item>
            <Form.Item name="severity">
              <Select allowClear placeholder={tt('f.severity')} style={{ width: 110 }} options={SEVERITIES.map((s) => ({ value: s, label: tt(`sev.${s}`) }))} />
            </Form.Item>
            <Form.Item name="type">
              <Select allowClear placeholder={tt('f.type')} style={{ width: 140 }} options={EXCEPTION_TYPES.map((s) => ({ value: s, label: tt(`type.${s}`) }))} />
            </Form.Item>
            <Form.Item name="overdue" valuePropName="checked">
              <Checkbox>{tt('overdueOnly')}</Checkbox>
            </Form.Item>
          </>
        }
        toolbar={
          can('exceptions:manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="exception-create">
              {tt('createException')}
            </Button>
          )
        }
      />
      <FormModal<{ type: Exc['type']; severity: Exc['severity']; title: string; description?: string; ownerId: string; responsePlan?: string }>
        open={creating}
        title={tt('createException')}
        testId="exception-form"
        initialValues={{ severity: 'medium' }}
        onClose={() => setCreating(false)}
        submit={async (v) => {
          const x = await jsonFetch<Exc>(ENDPOINT, { method: 'POST', body: v, idempotent: true });
          void refresh();
          void board.refetch();
          void navigate(`/exceptions/${x.id}`);
        }}
      >
        {() => (
          <>
            <Alert type="info" showIcon message={tt('hoursNote')} style={{ marginBottom: 12 }} />
            <Form.Item name="type" label={tt('f.type')} rules={[{ required: true }]}>
              <Select options={EXCEPTION_TYPES.map((s) => ({ value: s, label: tt(`type.${s}`) }))} />
            </Form.Item>
            <Form.Item name="severity" label={tt('f.severity')} rules={[{ required: true }]}>
              <Select options={SEVERITIES.map((s) => ({ value: s, label: tt(`sev.${s}`) }))} />
            </Form.Item>
            <Form.Item name="title" label={tt('f.title')} rules={[{ required: true }]}>
              <Input data-testid="exception-title" />
            </Form.Item>
            <Form.Item name="ownerId" label={tt('f.owner')} rules={[{ required: true }]}>
              <AssigneePicker testId="exception-owner" />
            </Form.Item>
            <Form.Item name="description" label={tt('f.description')}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="responsePlan" label={tt('f.responsePlan')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </Space>
  );
}
