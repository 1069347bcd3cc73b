import { SafetyOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Flex, Form, Input, Select, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../app/api';
import type { AuditEntry } from '../../app/api-models';
import { useAuth } from '../../app/auth';
import { useCodes } from '../../app/codes';
import { ListPage, type ListColumn } from '../../app/components/ListPage';
import { LocationPicker, LotPicker, ProductPicker, SearchPicker } from '../../app/pickers';
import { formatDateTime } from '../../app/format';
import { showError } from '../../app/problem';
import { AuditDetailDrawer } from './AuditDetailDrawer';

const ENDPOINT = '/api/admin/audit';

type AuditFilterForm = {
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
};

/**
 * The object filter: its type, then the object itself found by code or name with the type's picker (never a raw ID).
 * Only types whose list the user may read are offered.
 */
const OBJECT_TYPES: { entity: string; permission: string }[] = [
  { entity: 'order', permission: 'orders:read' },
  { entity: 'customer', permission: 'customers:read' },
  { entity: 'inquiry', permission: 'inquiries:read' },
  { entity: 'lot', permission: 'inventory:read' },
  { entity: 'product', permission: 'catalog:read' },
  { entity: 'warehouse', permission: 'inventory:read' },
  { entity: 'location', permission: 'inventory:read' },
  { entity: 'stocktake', permission: 'inventory:read' },
  { entity: 'user', permission: 'users:read' },
];

function ObjectPicker({ entity, value, onChange }: { entity?: string; value?: string; onChange?: (id: string | undefined) => void }) {
  const { t } = useTranslation();
  const look = { value, onChange, testId: 'audit-object', placeholder: t('audit.object'), style: { width: 240 } };
  switch (entity) {
    case 'order':
      return <SearchPicker endpoint="/api/orders" toOption={(o) => ({ value: o.id, code: o.number, name: o.customerName })} {...look} />;
    case 'customer':
      return <SearchPicker endpoint="/api/customers" toOption={(c) => ({ value: c.id, code: c.code, name: c.name })} {...look} />;
    case 'inquiry':
      return <SearchPicker endpoint="/api/inquiries" toOption={(i) => ({ value: i.id, code: i.number, name: i.customerName ?? i.prospectName ?? '' })} {...look} />;
    case 'lot':
      return <LotPicker {...look} />;
    case 'product':
      return <ProductPicker kind={null} activeOnly={false} {...look} />;
    case 'warehouse':
      return <SearchPicker endpoint="/api/inventory/warehouses" toOption={(w) => ({ value: w.id, code: w.code, name: w.name })} {...look} />;
    case 'location':
      return <LocationPicker {...look} />;
    case 'stocktake':
      return <SearchPicker endpoint="/api/inventory/stocktakes" toOption={(s) => ({ value: s.id, code: s.number, name: s.warehouseCode })} {...look} />;
    case 'user':
      return <SearchPicker endpoint="/api/admin/users" toOption={(u) => ({ value: u.id, code: u.username, name: u.displayName })} {...look} />;
    default:
      return <Input disabled placeholder={t('audit.objectPickType')} style={{ width: 240 }} />;
  }
}

/** Object type, then the object: inside the list's filter form (the type change clears the object). */
function ObjectFilter() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const codes = useCodes();
  const form = Form.useFormInstance<AuditFilterForm>();
  const entity = Form.useWatch('entity', form);
  return (
    <>
      <Form.Item name="entity">
        <Select
          allowClear
          data-testid="audit-entity"
          placeholder={t('audit.entity')}
          style={{ width: 140 }}
          popupMatchSelectWidth={false}
          onChange={() => form.setFieldValue('entityId', undefined)}
          options={OBJECT_TYPES.filter((o) => can(o.permission)).map((o) => ({ value: o.entity, label: codes.label('auditEntity', o.entity) }))}
        />
      </Form.Item>
      <Form.Item name="entityId">
        <ObjectPicker entity={entity} />
      </Form.Item>
    </>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const codes = useCodes();
  const [selected, setSelected] = useState<AuditEntry | null>(null);

  const verify = useMutation({
    mutationFn: () => unwrap(api.POST('/api/admin/audit/verify')),
    onError: showError,
  });

  const columns: ListColumn<AuditEntry>[] = [
    { title: t('audit.seq'), dataIndex: 'seq', sortField: 'seq', width: 90 },
    { title: t('audit.at'), dataIndex: 'at', sortField: 'at', render: (_, entry) => formatDateTime(entry.at) },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      render: (_, entry) => entry.actorName ?? entry.actorId ?? t('audit.system'),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      sortField: 'action',
      render: (_, entry) => <Tag title={entry.action}>{codes.action(entry.action)}</Tag>,
    },
    { title: t('audit.entity'), dataIndex: 'entity', sortField: 'entity', render: (_, entry) => codes.label('auditEntity', entry.entity) },
    { title: t('audit.entityId'), dataIndex: 'entityId', render: (_, entry) => entry.entityId ?? '—' },
    { title: t('audit.ip'), dataIndex: 'ip', render: (_, entry) => entry.ip ?? '—' },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, entry) => (
        <Button type="link" size="small" onClick={() => setSelected(entry)}>
          {t('audit.detail')}
        </Button>
      ),
    },
  ];

  const result = verify.data;

  return (
    <Flex vertical gap="middle">
      {result && (
        <Alert
          data-testid="audit-verify-result"
          type={result.ok ? 'success' : 'error'}
          showIcon
          closable={{ onClose: () => verify.reset() }}
          title={result.ok ? t('audit.verifyOk', { count: result.checked }) : t('audit.verifyBroken', { seq: result.firstBadSeq ?? '—' })}
          description={result.ok ? undefined : t('audit.verifyBrokenDetail', { count: result.checked, reason: result.reason ?? '—' })}
        />
      )}
      <ListPage<typeof ENDPOINT, AuditFilterForm>
        endpoint={ENDPOINT}
        title={t('audit.title')}
        rowKey="id"
        columns={columns}
        defaultSort="-seq"
        keyword={false}
        toQuery={({ range, ...rest }) => ({
          ...rest,
          from: range?.[0]?.startOf('day').toISOString(),
          to: range?.[1]?.endOf('day').toISOString(),
        })}
        filters={
          <>
            <Form.Item name="actor">
              <Input allowClear placeholder={t('audit.actor')} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="action">
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="audit-action"
                placeholder={t('audit.action')}
                style={{ width: 200 }}
                popupMatchSelectWidth={false}
                options={Object.entries(codes.auditActions)
                  .map(([value, label]) => ({ value, label }))
                  .sort((a, b) => a.label.localeCompare(b.label))}
              />
            </Form.Item>
            <ObjectFilter />
            <Form.Item name="range">
              <DatePicker.RangePicker allowEmpty={[true, true]} />
            </Form.Item>
          </>
        }
        toolbar={
          <Button icon={<SafetyOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        }
      />
      <AuditDetailDrawer entry={selected} onClose={() => setSelected(null)} />
    </Flex>
  );
}
