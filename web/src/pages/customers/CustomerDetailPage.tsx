import { ArrowLeftOutlined, EditOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Flex, Form, Input, Modal, Popconfirm, Result, Select, Space, Spin, Switch, Table, Tabs, Tag, Timeline, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { downloadFile } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useMessage } from '../../app/feedback';
import { formatDate, formatDateTime } from '../../app/format';
import { applyServerErrors, problemMessage, showError, toProblem } from '../../app/problem';
import { formatFen, jsonFetch, uploadFile } from '../catalog/page-kit';
import { CustomerFormDrawer } from './CustomerFormDrawer';
import { useCustomerT } from './i18n';
import { RegionCascader } from './RegionCascader';
import { CUSTOMER_STATUS_COLORS, type Address, type Contact, type CustomerDetail, type Qualification, type QualificationType, type StatusHistory } from './types';

type Ct = ReturnType<typeof useCustomerT>;

/** A modal with one form; server field errors land on the fields. */
function FormModal<V extends object>({
  open,
  title,
  initialValues,
  onClose,
  onSubmit,
  children,
}: {
  open: boolean;
  title: string;
  initialValues?: Partial<V>;
  onClose: () => void;
  onSubmit: (values: V) => Promise<void>;
  children: ReactNode;
}) {
  const [form] = Form.useForm<V>();
  const [saving, setSaving] = useState(false);
  return (
    <Modal open={open} title={title} onCancel={onClose} destroyOnHidden confirmLoading={saving} onOk={() => form.submit()}>
      <Form<V>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues}
        onFinish={(values) => {
          setSaving(true);
          onSubmit(values)
            .catch((error: unknown) => applyServerErrors(form, error))
            .finally(() => setSaving(false));
        }}
      >
        {children}
      </Form>
    </Modal>
  );
}

type QualValues = { type: QualificationType; number: string; issuedOn?: Dayjs | null; expiresOn?: Dayjs | null; fileId?: string | null };
type ContactValues = { name: string; title?: string; phone?: string; email?: string; isPrimary?: boolean };
type AddressValues = { label: string; regionCode: string; address: string; receiver: string; phone: string; isDefault?: boolean };

type Editing =
  { kind: 'qualification'; item: Qualification | null } | { kind: 'contact'; item: Contact | null } | { kind: 'address'; item: Address | null } | { kind: 'suspend' } | null;

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const blank = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);

function qualStatus(ct: Ct, q: Qualification) {
  if (q.expired) return <Tag color="red">{ct('qual.expired')}</Tag>;
  if (q.expiringSoon) return <Tag color="orange">{ct('qual.expiringSoon')}</Tag>;
  return <Tag color="green">{ct('qual.valid')}</Tag>;
}

function FileField({ customerId, value, onChange }: { customerId: string; value?: string | null; onChange?: (id: string | null) => void }) {
  const ct = useCustomerT();
  const message = useMessage();
  const [busy, setBusy] = useState(false);
  return (
    <Space>
      <Upload
        accept=".pdf,.jpg,.jpeg,.png"
        showUploadList={false}
        beforeUpload={(file) => {
          setBusy(true);
          uploadFile<{ id: string; filename: string }>(`/api/customers/${customerId}/files`, file)
            .then((f) => {
              onChange?.(f.id);
              void message.success(ct('qual.uploaded', { name: f.filename }));
            })
            .catch(showError)
            .finally(() => setBusy(false));
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy}>
          {ct('qual.upload')}
        </Button>
      </Upload>
      {value && <PaperClipOutlined />}
    </Space>
  );
}

/** One customer: header, status actions, qualifications, contacts, addresses and status history. */
export function CustomerDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const ct = useCustomerT();
  const { can } = useAuth();
  const message = useMessage();
  const queryClient = useQueryClient();
  const canManage = can('customers:manage');
  const [editing, setEditing] = useState<Editing>(null);
  const [editingCustomer, setEditingCustomer] = useState(false);

  const key = ['customers', id];
  const detail = useQuery({ queryKey: key, queryFn: () => jsonFetch<CustomerDetail>(`/api/customers/${id}`) });
  const history = useQuery({ queryKey: [...key, 'history'], queryFn: () => jsonFetch<{ items: StatusHistory[] }>(`/api/customers/${id}/history`) });
  const reload = async () => {
    await queryClient.invalidateQueries({ queryKey: key });
    await queryClient.invalidateQueries({ queryKey: ['list', '/api/customers'] });
  };

  if (detail.isPending) return <Spin />;
  if (detail.isError) return <Result status="warning" title={problemMessage(toProblem(detail.error))} extra={<Link to="/customers">{ct('back')}</Link>} />;
  const c = detail.data;

  const act = async (event: 'activate' | 'suspend' | 'reinstate', reason: string | null = null) => {
    await jsonFetch(`/api/customers/${id}/${event}`, { method: 'POST', body: { reason } });
    void message.success(ct('action.done'));
    await reload();
  };
  const archive = async (path: string) => {
    try {
      await jsonFetch(`/api/customers/${id}/${path}`, { method: 'DELETE' });
      await reload();
    } catch (error) {
      showError(error);
    }
  };
  const saveSub = async (path: string, itemId: string | undefined, body: object) => {
    await jsonFetch(`/api/customers/${id}/${path}${itemId ? `/${itemId}` : ''}`, { method: itemId ? 'PATCH' : 'POST', body, idempotent: !itemId });
    setEditing(null);
    void message.success(ct('updated'));
    await reload();
  };

  const statusActions = canManage && (
    <Space>
      {c.status === 'prospect' && (
        <Button type="primary" onClick={() => void act('activate').catch(showError)} data-testid="customer-activate">
          {ct('action.activate')}
        </Button>
      )}
      {c.status === 'suspended' && <Button onClick={() => void act('reinstate').catch(showError)}>{ct('action.reinstate')}</Button>}
      {c.status !== 'suspended' && (
        <Button danger onClick={() => setEditing({ kind: 'suspend' })}>
          {ct('action.suspend')}
        </Button>
      )}
      <Button icon={<EditOutlined />} onClick={() => setEditingCustomer(true)}>
        {t('common.edit')}
      </Button>
    </Space>
  );

  const rowActions = <T extends { id: string }>(kind: 'qualification' | 'contact' | 'address', path: string) =>
    canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, item: T) => (
              <Space size="small">
                <Button type="link" size="small" onClick={() => setEditing({ kind, item } as unknown as Editing)}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={ct('archiveConfirm')} onConfirm={() => archive(`${path}/${item.id}`)}>
                  <Button type="link" size="small" danger>
                    {ct('archive')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : [];

  const addButton = (label: string, onClick: () => void) =>
    canManage && (
      <Button size="small" icon={<PlusOutlined />} onClick={onClick}>
        {label}
      </Button>
    );

  return (
    <Flex vertical gap="middle">
      <Card
        size="small"
        title={
          <Space>
            <Link to="/customers" aria-label={ct('back')}>
              <ArrowLeftOutlined />
            </Link>
            <span data-testid="customer-title">
              {c.name} <Tag color={CUSTOMER_STATUS_COLORS[c.status]}>{ct(`status.${c.status}`)}</Tag>
            </span>
          </Space>
        }
        extra={statusActions}
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={ct('field.code')}>{c.code}</Descriptions.Item>
          <Descriptions.Item label={ct('field.kind')}>{ct(`kind.${c.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={ct('field.usci')}>{c.usci ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={ct('field.region')}>{c.regionName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={ct('field.creditLimit')}>{formatFen(c.creditLimitFen)}</Descriptions.Item>
          <Descriptions.Item label={ct('field.overdue')}>{formatFen(c.overdueFen)}</Descriptions.Item>
          <Descriptions.Item label={ct('field.paymentTermsDays')}>{c.paymentTermsDays}</Descriptions.Item>
          <Descriptions.Item label={ct('field.creditRating')}>{c.creditRating}</Descriptions.Item>
          <Descriptions.Item label={ct('field.salesOwner')}>{c.salesOwnerName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={ct('field.group')}>{c.group ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={ct('field.minShelfLife')}>{c.minRemainingShelfLifeDays ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={ct('field.tags')}>{c.tags.length ? c.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—'}</Descriptions.Item>
          <Descriptions.Item label={ct('field.note')}>{c.note ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={ct('field.createdAt')}>{formatDateTime(c.createdAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      {c.piiMasked && <Alert type="info" showIcon title={ct('masked')} />}
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'qualifications',
              label: ct('tabs.qualifications'),
              children: (
                <Table<Qualification>
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={c.qualifications}
                  title={() => addButton(ct('qual.add'), () => setEditing({ kind: 'qualification', item: null }))}
                  columns={[
                    { title: ct('qual.type'), dataIndex: 'type', render: (_, q) => ct(`qual.types.${q.type}`) },
                    { title: ct('qual.number'), dataIndex: 'number' },
                    { title: ct('qual.issuedOn'), dataIndex: 'issuedOn', render: (_, q) => formatDate(q.issuedOn) },
                    { title: ct('qual.expiresOn'), dataIndex: 'expiresOn', render: (_, q) => formatDate(q.expiresOn) },
                    { title: ct('field.status'), key: 'status', render: (_, q) => qualStatus(ct, q) },
                    {
                      title: ct('qual.file'),
                      dataIndex: 'fileId',
                      render: (_, q) =>
                        q.fileId ? (
                          <Button
                            type="link"
                            size="small"
                            icon={<PaperClipOutlined />}
                            onClick={() => void downloadFile(`/api/customers/${id}/files/${q.fileId}`, 'scan').catch(showError)}
                          />
                        ) : (
                          '—'
                        ),
                    },
                    ...rowActions<Qualification>('qualification', 'qualifications'),
                  ]}
                />
              ),
            },
            {
              key: 'contacts',
              label: ct('tabs.contacts'),
              children: (
                <Table<Contact>
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={c.contacts}
                  title={() => addButton(ct('contact.add'), () => setEditing({ kind: 'contact', item: null }))}
                  columns={[
                    {
                      title: ct('contact.name'),
                      dataIndex: 'name',
                      render: (_, x) =>
                        x.isPrimary ? (
                          <Space>
                            {x.name}
                            <Tag color="blue">{ct('contact.primary')}</Tag>
                          </Space>
                        ) : (
                          x.name
                        ),
                    },
                    { title: ct('contact.title'), dataIndex: 'title', render: (_, x) => x.title ?? '—' },
                    { title: ct('contact.phone'), dataIndex: 'phone', render: (_, x) => x.phone ?? '—' },
                    { title: ct('contact.email'), dataIndex: 'email', render: (_, x) => x.email ?? '—' },
                    ...rowActions<Contact>('contact', 'contacts'),
                  ]}
                />
              ),
            },
            {
              key: 'addresses',
              label: ct('tabs.addresses'),
              children: (
                <Table<Address>
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={c.addresses}
                  title={() => addButton(ct('address.add'), () => setEditing({ kind: 'address', item: null }))}
                  columns={[
                    {
                      title: ct('address.label'),
                      dataIndex: 'label',
                      render: (_, a) =>
                        a.isDefault ? (
                          <Space>
                            {a.label}
                            <Tag color="blue">{ct('address.default')}</Tag>
                          </Space>
                        ) : (
                          a.label
                        ),
                    },
                    { title: ct('address.region'), dataIndex: 'regionName' },
                    { title: ct('address.address'), dataIndex: 'address' },
                    { title: ct('address.receiver'), dataIndex: 'receiver' },
                    { title: ct('address.phone'), dataIndex: 'phone' },
                    ...rowActions<Address>('address', 'addresses'),
                  ]}
                />
              ),
            },
            {
              key: 'history',
              label: ct('tabs.history'),
              children: (
                <Timeline
                  items={(history.data?.items ?? []).map((h) => ({
                    color: h.toState === 'suspended' ? 'red' : h.toState === 'active' ? 'green' : 'blue',
                    content: (
                      <>
                        <div>
                          {h.fromState ? `${ct(`status.${h.fromState as CustomerDetail['status']}`)} → ` : ''}
                          {ct(`status.${h.toState as CustomerDetail['status']}`)} · {h.actorName} · {formatDateTime(h.at)}
                        </div>
                        {h.reason && <div style={{ color: '#888' }}>{h.reason}</div>}
                      </>
                    ),
                  }))}
                />
              ),
            },
          ]}
        />
      </Card>

      <CustomerFormDrawer
        open={editingCustomer}
        customer={c}
        onClose={() => setEditingCustomer(false)}
        onSaved={() => {
          setEditingCustomer(false);
          void reload();
        }}
      />

      <FormModal<{ reason: string }>
        open={editing?.kind === 'suspend'}
        title={ct('action.suspend')}
        onClose={() => setEditing(null)}
        onSubmit={async (v) => {
          await act('suspend', v.reason);
          setEditing(null);
        }}
      >
        <Form.Item name="reason" label={ct('action.reason')} rules={[{ required: true, whitespace: true, message: ct('action.reasonRequired') }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>

      {editing?.kind === 'qualification' && (
        <FormModal<QualValues>
          open
          title={editing.item ? ct('qual.edit') : ct('qual.add')}
          initialValues={
            editing.item
              ? { ...editing.item, issuedOn: editing.item.issuedOn ? dayjs(editing.item.issuedOn) : null, expiresOn: editing.item.expiresOn ? dayjs(editing.item.expiresOn) : null }
              : { type: 'business_licence' }
          }
          onClose={() => setEditing(null)}
          onSubmit={(v) =>
            saveSub('qualifications', editing.item?.id, { type: v.type, number: v.number, issuedOn: day(v.issuedOn), expiresOn: day(v.expiresOn), fileId: v.fileId ?? null })
          }
        >
          <Form.Item name="type" label={ct('qual.type')} rules={[{ required: true, message: ct('required') }]}>
            <Select options={(['business_licence', 'food_permit', 'other'] as const).map((x) => ({ value: x, label: ct(`qual.types.${x}`) }))} />
          </Form.Item>
          <Form.Item name="number" label={ct('qual.number')} rules={[{ required: true, whitespace: true, message: ct('required') }]}>
            <Input />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="issuedOn" label={ct('qual.issuedOn')} style={{ width: '50%' }}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="expiresOn" label={ct('qual.expiresOn')} style={{ width: '50%' }}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="fileId" label={ct('qual.file')}>
            <FileField customerId={id} />
          </Form.Item>
        </FormModal>
      )}

      {editing?.kind === 'contact' && (
        <FormModal<ContactValues>
          open
          title={editing.item ? ct('contact.edit') : ct('contact.add')}
          initialValues={
            editing.item
              ? {
                  name: editing.item.name,
                  title: editing.item.title ?? undefined,
                  phone: editing.item.phone ?? undefined,
                  email: editing.item.email ?? undefined,
                  isPrimary: editing.item.isPrimary,
                }
              : { isPrimary: false }
          }
          onClose={() => setEditing(null)}
          onSubmit={(v) => {
            const item = editing.item;
            // A masked value shown to the editor must never be written back.
            const body = { name: v.name, title: blank(v.title), phone: blank(v.phone), email: blank(v.email), isPrimary: v.isPrimary ?? false };
            if (item && c.piiMasked) return saveSub('contacts', item.id, { title: body.title, isPrimary: body.isPrimary });
            return saveSub('contacts', item?.id, body);
          }}
        >
          <Form.Item name="name" label={ct('contact.name')} rules={[{ required: true, whitespace: true, message: ct('required') }]}>
            <Input disabled={!!editing.item && c.piiMasked} />
          </Form.Item>
          <Form.Item name="title" label={ct('contact.title')}>
            <Input />
          </Form.Item>
          <Form.Item name="phone" label={ct('contact.phone')}>
            <Input disabled={!!editing.item && c.piiMasked} />
          </Form.Item>
          <Form.Item name="email" label={ct('contact.email')}>
            <Input disabled={!!editing.item && c.piiMasked} />
          </Form.Item>
          <Form.Item name="isPrimary" label={ct('contact.primary')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </FormModal>
      )}

      {editing?.kind === 'address' && (
        <FormModal<AddressValues>
          open
          title={editing.item ? ct('address.edit') : ct('address.add')}
          initialValues={editing.item ?? { isDefault: c.addresses.length === 0 }}
          onClose={() => setEditing(null)}
          onSubmit={(v) => {
            const item = editing.item;
            if (item && c.piiMasked) return saveSub('addresses', item.id, { label: v.label, regionCode: v.regionCode, isDefault: v.isDefault ?? false });
            return saveSub('addresses', item?.id, { ...v, isDefault: v.isDefault ?? false });
          }}
        >
          <Form.Item name="label" label={ct('address.label')} rules={[{ required: true, whitespace: true, message: ct('required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="regionCode" label={ct('address.region')} rules={[{ required: true, message: ct('required') }]}>
            <RegionCascader changeOnSelect={false} />
          </Form.Item>
          <Form.Item name="address" label={ct('address.address')} rules={[{ required: true, whitespace: true, message: ct('required') }]}>
            <Input disabled={!!editing.item && c.piiMasked} />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="receiver" label={ct('address.receiver')} style={{ width: '50%' }} rules={[{ required: true, whitespace: true, message: ct('required') }]}>
              <Input disabled={!!editing.item && c.piiMasked} />
            </Form.Item>
            <Form.Item name="phone" label={ct('address.phone')} style={{ width: '50%' }} rules={[{ required: true, whitespace: true, message: ct('required') }]}>
              <Input disabled={!!editing.item && c.piiMasked} />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="isDefault" label={ct('address.default')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </FormModal>
      )}
    </Flex>
  );
}
