import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Space, Table, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useConfirm } from '../../app/confirm';
import { useMessage } from '../../app/feedback';
import { formatDateTime } from '../../app/format';
import { showError } from '../../app/problem';
import { useInventoryT } from './i18n';
import { jsonFetch, LOT_STATUS_COLORS, type Page } from './kit';
import { AdjustmentModal, ReceiptDrawer, ReserveModal, TransferModal } from './MovementForms';

type Balance = { locationId: string; locationCode: string; warehouseCode: string; zone: string; onHand: string; reserved: string };
type Ledger = {
  id: string;
  seq: number;
  kind: string;
  at: string;
  locationCode: string;
  warehouseCode: string;
  quantity: string;
  unit: string;
  enteredQuantity: string;
  enteredUnit: string;
  userName: string;
  reason: string | null;
  refType: string | null;
  refId: string | null;
};
type History = { fromState: string | null; toState: string; event: string; actorName: string; reason: string | null; at: string };
type LotDetail = {
  id: string;
  productId: string;
  productCode: string | null;
  productName: string | null;
  unit: string | null;
  lotCode: string;
  origin: string | null;
  productionDate: string;
  expiryDate: string;
  qualityStatus: string;
  sourceType: string;
  expired: boolean;
  onHand: string;
  reserved: string;
  balances: Balance[];
  history: History[];
  ledger: Ledger[];
};
type Reservation = { id: string; refType: string; refId: string; locationCode: string; quantity: string; unit: string | null; status: string; createdAt: string };

const EVENTS: Record<string, ('release' | 'hold' | 'reject')[]> = { quarantined: ['release', 'hold', 'reject'], released: ['hold'], on_hold: ['release', 'reject'], rejected: [] };

/** A lot: balances per location, status history with reasons, reservations and its full ledger (which sums to the balances). */
export function LotDetailPage() {
  const { id = '' } = useParams();
  const it = useInventoryT();
  const { can } = useAuth();
  const message = useMessage();
  const lot = useQuery({ queryKey: ['inventory', 'lot', id], queryFn: () => jsonFetch<LotDetail>(`/api/inventory/lots/${id}`) });
  const reservations = useQuery({
    queryKey: ['inventory', 'lot-reservations', id],
    queryFn: () => jsonFetch<Page<Reservation>>(`/api/inventory/reservations?lotId=${id}&pageSize=200`),
  });
  const [modal, setModal] = useState<'receive' | 'transfer' | 'adjust' | 'reserve' | null>(null);
  const [confirm, confirmHolder] = useConfirm();
  const reload = () => {
    setModal(null);
    void lot.refetch();
    void reservations.refetch();
  };
  const l = lot.data;
  if (!l) return <Card loading />;
  const first = l.balances[0];
  const target = {
    lotId: l.id,
    productId: l.productId,
    lotCode: l.lotCode,
    locationId: first?.locationId,
    locationLabel: first ? `${first.warehouseCode} / ${first.locationCode}` : undefined,
  };
  /** A status change names the lot and what the new status means, and takes the reason (and a disposition on reject). */
  const changeStatus = async (event: 'release' | 'hold' | 'reject') => {
    const answer = await confirm({
      title: `${it(event)} ${l.lotCode}`,
      consequence: it(`confirm.${event}`, { lot: l.lotCode }),
      irreversible: event === 'reject',
      danger: event !== 'release',
      okText: it(event),
      reason: { label: it('lotDetail.statusReason'), required: true },
      choice:
        event === 'reject'
          ? { label: it('field.disposition'), options: (['rework', 'downgrade', 'destroy'] as const).map((d) => ({ value: d, label: it(`disposition.${d}`) })) }
          : undefined,
      testId: 'lot-status-confirm',
    });
    if (!answer) return;
    try {
      await jsonFetch(`/api/inventory/lots/${l.id}/status`, { method: 'POST', body: { event, reason: answer.reason, disposition: answer.choice } });
      void message.success(it('saved'));
      reload();
    } catch (error) {
      showError(error);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={it('lotDetail.title', { code: l.lotCode })}
        extra={
          <Space wrap>
            {can('inventory:receive') && (
              <Button data-testid="lot-receive" onClick={() => setModal('receive')}>
                {it('receive')}
              </Button>
            )}
            {can('inventory:reserve') && (
              <Button data-testid="lot-reserve" onClick={() => setModal('reserve')}>
                {it('reserve')}
              </Button>
            )}
            {can('inventory:move') && (
              <Button data-testid="lot-transfer" onClick={() => setModal('transfer')}>
                {it('transfer')}
              </Button>
            )}
            {can('inventory:move') && (
              <Button data-testid="lot-adjust" onClick={() => setModal('adjust')}>
                {it('adjust')}
              </Button>
            )}
            {can('lots:status') &&
              EVENTS[l.qualityStatus]?.map((e) => (
                <Button key={e} danger={e !== 'release'} data-testid={`lot-status-${e}`} onClick={() => void changeStatus(e)}>
                  {it(e)}
                </Button>
              ))}
          </Space>
        }
      >
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label={it('field.product')}>{`${l.productCode ?? ''} ${l.productName ?? ''}`}</Descriptions.Item>
          <Descriptions.Item label={it('field.qualityStatus')}>
            <Tag color={LOT_STATUS_COLORS[l.qualityStatus]} data-testid="lot-status">
              {it(`status.${l.qualityStatus as 'released'}`)}
            </Tag>
            {l.expired && <Tag color="red">{it('field.expired')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={it('field.origin')}>{l.origin ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={it('field.productionDate')}>{l.productionDate}</Descriptions.Item>
          <Descriptions.Item label={it('field.expiryDate')}>{l.expiryDate}</Descriptions.Item>
          <Descriptions.Item label={it('field.onHand')}>
            <span data-testid="lot-on-hand">{l.onHand}</span> {l.unit}
          </Descriptions.Item>
          <Descriptions.Item label={it('field.reserved')}>
            <span data-testid="lot-reserved">{l.reserved}</span> {l.unit}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={it('lotDetail.balances')} size="small">
        <Table<Balance>
          rowKey="locationId"
          size="small"
          pagination={false}
          dataSource={l.balances}
          columns={[
            { title: it('field.warehouse'), dataIndex: 'warehouseCode' },
            { title: it('field.location'), dataIndex: 'locationCode' },
            { title: it('field.zone'), dataIndex: 'zone', render: (v: string) => it(`zone.${v as 'chilled'}`) },
            { title: it('field.onHand'), dataIndex: 'onHand', align: 'right', render: (v: string, r) => <span data-testid={`balance-${r.locationCode}`}>{v}</span> },
            { title: it('field.reserved'), dataIndex: 'reserved', align: 'right' },
          ]}
        />
      </Card>
      <Card title={it('lotDetail.reservations')} size="small">
        <Table<Reservation>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={reservations.data?.items ?? []}
          columns={[
            { title: it('field.reference'), key: 'ref', render: (_: unknown, r) => `${r.refType}:${r.refId}` },
            { title: it('field.location'), dataIndex: 'locationCode' },
            { title: it('field.quantity'), dataIndex: 'quantity', align: 'right', render: (v: string, r) => `${v} ${r.unit ?? ''}` },
            { title: it('field.status'), dataIndex: 'status', render: (v: string) => it(`reservationStatus.${v as 'active'}`) },
            {
              title: '',
              key: 'a',
              render: (_: unknown, r) =>
                r.status === 'active' && can('inventory:reserve') ? (
                  <Button
                    size="small"
                    data-testid={`release-reservation-${r.refId}`}
                    onClick={() => void jsonFetch(`/api/inventory/reservations/${r.id}/release`, { method: 'POST' }).then(reload, showError)}
                  >
                    {it('releaseReservation')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card title={it('lotDetail.ledger')} size="small">
        <Table<Ledger>
          rowKey="id"
          size="small"
          data-testid="lot-ledger"
          pagination={false}
          dataSource={l.ledger}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={4}>
                Σ
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <span data-testid="ledger-sum">{(l.ledger.reduce((s, e) => s + Math.round(Number(e.quantity) * 1000), 0) / 1000).toFixed(3)}</span>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
          columns={[
            { title: it('field.time'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
            { title: it('field.kind'), dataIndex: 'kind', render: (v: string) => it(`movement.${v as 'receipt'}`) },
            { title: it('field.warehouse'), dataIndex: 'warehouseCode' },
            { title: it('field.location'), dataIndex: 'locationCode' },
            { title: it('field.quantity'), dataIndex: 'quantity', align: 'right', render: (v: string, r) => `${v} ${r.unit}` },
            { title: it('field.entered'), key: 'entered', render: (_: unknown, r) => `${r.enteredQuantity} ${r.enteredUnit}` },
            { title: it('field.user'), dataIndex: 'userName' },
            { title: it('field.reason'), dataIndex: 'reason', render: (v: string | null) => (v && v in REASON_KEYS ? it(`reason.${v as 'other'}`) : v) },
            { title: it('field.reference'), key: 'ref', render: (_: unknown, r) => (r.refType ? `${r.refType}:${r.refId ?? ''}` : '') },
          ]}
        />
      </Card>
      <Card title={it('lotDetail.history')} size="small">
        <Timeline
          items={l.history.map((h) => ({
            children: `${formatDateTime(h.at)} · ${h.actorName} · ${h.fromState ? `${it(`status.${h.fromState as 'released'}`)} → ` : ''}${it(`status.${h.toState as 'released'}`)}${h.reason ? ` · ${h.reason}` : ''}`,
          }))}
        />
      </Card>
      <ReceiptDrawer open={modal === 'receive'} lot={{ id: l.id, productId: l.productId, lotCode: l.lotCode }} onClose={() => setModal(null)} onDone={reload} />
      <TransferModal target={modal === 'transfer' ? target : null} onClose={() => setModal(null)} onDone={reload} />
      <AdjustmentModal target={modal === 'adjust' ? target : null} onClose={() => setModal(null)} onDone={reload} />
      <ReserveModal target={modal === 'reserve' ? target : null} onClose={() => setModal(null)} onDone={reload} />
      {confirmHolder}
    </Space>
  );
}

const REASON_KEYS = { spoilage: 1, dehydration: 1, damage: 1, theft: 1, counting_error: 1, other: 1 };
