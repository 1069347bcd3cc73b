import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useConfirm } from '../../app/confirm';
import { formatDate } from '../../app/format';
import { showError } from '../../app/problem';
import { jsonFetch } from '../catalog/page-kit';
import { SUPPLIER_COLORS, useProcT, type Supplier, type SupplierDoc } from './i18n';
import { FormModal } from './kit';

const DOC_TYPES = ['business_licence', 'production_licence', 'pesticide_licence', 'fertiliser_registration', 'seed_licence', 'other'] as const;

/** One supplier: rating, documents (with expiry), approval. */
export function SupplierDetailPage() {
  const { id = '' } = useParams();
  const pt = useProcT();
  const { can } = useAuth();
  const [confirm, dialog] = useConfirm();
  const [adding, setAdding] = useState(false);
  const q = useQuery({ queryKey: ['supplier', id], queryFn: () => jsonFetch<Supplier & { documents: SupplierDoc[] }>(`/api/procurement/suppliers/${id}`) });
  const s = q.data;
  if (!s) return <Card loading />;
  const act = async (event: 'approve' | 'suspend' | 'reinstate') => {
    let reason: string | null = null;
    if (event === 'suspend') {
      const a = await confirm({ title: pt('action.suspend'), consequence: s.name, reason: { label: pt('action.reason'), required: true } });
      if (!a) return;
      reason = a.reason;
    }
    try {
      await jsonFetch(`/api/procurement/suppliers/${id}/${event}`, { method: 'POST', body: { reason } });
      await q.refetch();
    } catch (e) {
      showError(e);
    }
  };
  const r = s.rating;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {dialog}
      <Link to="/procurement/suppliers">← {pt('back')}</Link>
      <Card
        title={
          <Space>
            {s.name}
            <Tag color={SUPPLIER_COLORS[s.status]} data-testid="supplier-status">
              {pt(`supplierStatus.${s.status}`)}
            </Tag>
          </Space>
        }
        extra={
          can('suppliers:approve') && (
            <Space>
              {s.status === 'pending' && (
                <Button type="primary" onClick={() => void act('approve')} data-testid="supplier-approve">
                  {pt('action.approve')}
                </Button>
              )}
              {s.status !== 'suspended' && <Button onClick={() => void act('suspend')}>{pt('action.suspend')}</Button>}
              {s.status === 'suspended' && <Button onClick={() => void act('reinstate')}>{pt('action.reinstate')}</Button>}
            </Space>
          )
        }
      >
        {!s.canOrder && <Alert type="warning" showIcon title={pt('notOrderable')} style={{ marginBottom: 12 }} />}
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={pt('f.code')}>{s.code}</Descriptions.Item>
          <Descriptions.Item label={pt('f.usci')}>{s.usci ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={pt('f.contactName')}>{[s.contactName, s.phone].filter(Boolean).join(' ') || '—'}</Descriptions.Item>
          <Descriptions.Item label={pt('f.leadDays')}>{s.leadDays}</Descriptions.Item>
          <Descriptions.Item label={pt('f.rating')}>
            {r.score ?? '—'} {r.grade && <Tag>{r.grade}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={`${pt('f.quality')} / ${pt('f.onTime')} / ${pt('f.price')}`}>
            {r.qualityScore ?? '—'} / {r.onTimeScore ?? '—'} / {r.priceScore ?? '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title={pt('doc.title')}
        extra={
          can('procurement:manage') && (
            <Button onClick={() => setAdding(true)} data-testid="doc-add">
              {pt('doc.add')}
            </Button>
          )
        }
      >
        <Table<SupplierDoc>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={s.documents}
          columns={[
            { title: pt('doc.type'), dataIndex: 'type', render: (v: SupplierDoc['type']) => pt(`docTypes.${v}`) },
            { title: pt('doc.number'), dataIndex: 'number' },
            { title: pt('doc.issuedOn'), dataIndex: 'issuedOn', render: formatDate },
            { title: pt('doc.expiresOn'), dataIndex: 'expiresOn', render: formatDate },
            {
              title: pt('f.status'),
              render: (_, d) =>
                d.expired ? (
                  <Tag color="red">{pt('doc.expired')}</Tag>
                ) : d.expiringSoon ? (
                  <Tag color="orange">{pt('doc.expiringSoon')}</Tag>
                ) : (
                  <Tag color="green">{pt('doc.valid')}</Tag>
                ),
            },
          ]}
        />
      </Card>
      <FormModal<{ type: string; number: string; issuedOn?: Dayjs; expiresOn?: Dayjs }>
        open={adding}
        title={pt('doc.add')}
        testId="doc-form"
        onClose={() => setAdding(false)}
        submit={async (v) => {
          await jsonFetch(`/api/procurement/suppliers/${id}/documents`, {
            method: 'POST',
            idempotent: true,
            body: { type: v.type, number: v.number, issuedOn: v.issuedOn?.format('YYYY-MM-DD') ?? null, expiresOn: v.expiresOn?.format('YYYY-MM-DD') ?? null },
          });
          await q.refetch();
        }}
      >
        {() => (
          <>
            <Form.Item name="type" label={pt('doc.type')} rules={[{ required: true }]}>
              <Select data-testid="doc-type" options={DOC_TYPES.map((t) => ({ value: t, label: pt(`docTypes.${t}`) }))} />
            </Form.Item>
            <Form.Item name="number" label={pt('doc.number')} rules={[{ required: true }]}>
              <Input data-testid="doc-number" />
            </Form.Item>
            <Form.Item name="issuedOn" label={pt('doc.issuedOn')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="expiresOn" label={pt('doc.expiresOn')}>
              <DatePicker data-testid="doc-expires" />
            </Form.Item>
          </>
        )}
      </FormModal>
    </Space>
  );
}
