import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Input, Select, Space, Table, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useConfirm } from '../../app/confirm';
import { useMessage } from '../../app/feedback';
import { formatDateTime } from '../../app/format';
import { showError } from '../../app/problem';
import { useInventoryT } from './i18n';
import { jsonFetch, REASONS } from './kit';
import { STATUS_KEY, STOCKTAKE_STATUS } from './StocktakesPage';

type Line = {
  id: string;
  productCode: string | null;
  productName: string | null;
  unit: string | null;
  lotId: string;
  lotCode: string;
  locationCode: string;
  countedQuantity: string | null;
  expectedQuantity: string | null;
  variance: string | null;
  reasonCode: string | null;
};
type Detail = {
  id: string;
  number: string;
  warehouseCode: string;
  zone: string | null;
  category: string | null;
  status: keyof typeof STATUS_KEY;
  blind: boolean;
  createdBy: string;
  approvedBy: string | null;
  approvedAt: string | null;
  lines: Line[];
  history: { toState: string; event: string; actorName: string; reason: string | null; at: string }[];
};

/** Blind count entry, variance review with reason codes and approval. */
export function StocktakeDetailPage() {
  const { id = '' } = useParams();
  const it = useInventoryT();
  const { can } = useAuth();
  const message = useMessage();
  const q = useQuery({ queryKey: ['inventory', 'stocktake', id], queryFn: () => jsonFetch<Detail>(`/api/inventory/stocktakes/${id}`) });
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [confirm, confirmHolder] = useConfirm();
  const st = q.data;
  if (!st) return <Card loading />;

  /** Approval posts the variances as adjustments: the dialog shows each line's variance and their total per unit. */
  const approve = async () => {
    const varied = st.lines.filter((l) => l.variance !== null && Number(l.variance) !== 0);
    const totals = new Map<string, number>();
    for (const l of varied) totals.set(l.unit ?? '', (totals.get(l.unit ?? '') ?? 0) + Math.round(Number(l.variance) * 1000));
    const total = [...totals].map(([unit, milli]) => `${milli > 0 ? '+' : ''}${(milli / 1000).toFixed(3)} ${unit}`.trim()).join(', ');
    const ok = await confirm({
      title: it('confirm.approveTitle', { number: st.number }),
      consequence: varied.length ? it('confirm.approve', { number: st.number, count: varied.length, total }) : it('confirm.approveNone', { number: st.number }),
      irreversible: varied.length > 0,
      okText: it('st.approve'),
      testId: 'stocktake-approve-confirm',
      details: varied.length ? (
        <Table<Line>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={varied}
          data-testid="stocktake-approve-variances"
          columns={[
            { title: it('field.lotCode'), dataIndex: 'lotCode' },
            { title: it('field.location'), dataIndex: 'locationCode' },
            { title: it('st.expected'), dataIndex: 'expectedQuantity', align: 'right' },
            { title: it('st.countedQty'), dataIndex: 'countedQuantity', align: 'right' },
            {
              title: it('st.variance'),
              dataIndex: 'variance',
              align: 'right',
              render: (v: string, r) => <span style={{ color: v.startsWith('-') ? '#cf1322' : undefined }}>{`${v} ${r.unit ?? ''}`}</span>,
            },
            { title: it('st.reasonCode'), dataIndex: 'reasonCode', render: (v: string | null) => (v ? it(`reason.${v as 'other'}`) : '—') },
          ]}
        />
      ) : undefined,
    });
    if (ok) await act(() => jsonFetch(`/api/inventory/stocktakes/${st.id}/approve`, { method: 'POST' }));
  };

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      void message.success(it('saved'));
      await q.refetch();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  const counting = st.status === 'counting';
  const reviewing = st.status === 'submitted' && !st.blind;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={`${it('st.number')} ${st.number}`}
        extra={
          <Space>
            {counting && can('inventory:stocktake') && (
              <>
                <Button
                  data-testid="stocktake-save-counts"
                  loading={busy}
                  onClick={() =>
                    void act(() =>
                      jsonFetch(`/api/inventory/stocktakes/${st.id}/counts`, {
                        method: 'PUT',
                        body: {
                          counts: Object.entries(counts)
                            .filter(([, v]) => v.trim() !== '')
                            .map(([lineId, countedQuantity]) => ({ lineId, countedQuantity: countedQuantity.trim() })),
                        },
                      }),
                    )
                  }
                >
                  {it('st.saveCounts')}
                </Button>
                <Button
                  type="primary"
                  data-testid="stocktake-submit"
                  loading={busy}
                  onClick={() => void act(() => jsonFetch(`/api/inventory/stocktakes/${st.id}/submit`, { method: 'POST' }))}
                >
                  {it('st.submit')}
                </Button>
              </>
            )}
            {reviewing && can('inventory:approve') && (
              <>
                <Button
                  data-testid="stocktake-save-reasons"
                  loading={busy}
                  disabled={Object.keys(reasons).length === 0}
                  onClick={() =>
                    void act(() =>
                      jsonFetch(`/api/inventory/stocktakes/${st.id}/reasons`, {
                        method: 'PUT',
                        body: { reasons: Object.entries(reasons).map(([lineId, reasonCode]) => ({ lineId, reasonCode })) },
                      }),
                    )
                  }
                >
                  {it('st.saveReasons')}
                </Button>
                <Button type="primary" data-testid="stocktake-approve" loading={busy} onClick={() => void approve()}>
                  {it('st.approve')}
                </Button>
              </>
            )}
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 4 }}>
          <Descriptions.Item label={it('field.warehouse')}>{st.warehouseCode}</Descriptions.Item>
          <Descriptions.Item label={it('field.zone')}>{st.zone ? it(`zone.${st.zone as 'chilled'}`) : '—'}</Descriptions.Item>
          <Descriptions.Item label={it('field.category')}>{st.category ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={it('field.status')}>
            <Tag color={STOCKTAKE_STATUS[st.status]} data-testid="stocktake-status">
              {it(STATUS_KEY[st.status])}
            </Tag>
          </Descriptions.Item>
        </Descriptions>
        {st.blind && st.status !== 'approved' && <Alert type="info" showIcon title={it('st.blindHint')} />}
        {st.status === 'approved' && <Alert type="success" showIcon title={it('st.approvedHint')} />}
      </Card>
      <Table<Line>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={st.lines}
        columns={[
          { title: it('field.location'), dataIndex: 'locationCode' },
          { title: it('field.product'), key: 'p', render: (_: unknown, r) => `${r.productCode ?? ''} ${r.productName ?? ''}` },
          { title: it('field.lotCode'), dataIndex: 'lotCode', render: (v: string, r) => <Link to={`/inventory/lots/${r.lotId}`}>{v}</Link> },
          ...(st.blind ? [] : [{ title: it('st.expected'), dataIndex: 'expectedQuantity', align: 'right' as const }]),
          {
            title: it('st.countedQty'),
            key: 'counted',
            render: (_: unknown, r) =>
              counting ? (
                <Input
                  data-testid={`count-${r.lotCode}-${r.locationCode}`}
                  style={{ width: 140 }}
                  suffix={r.unit}
                  defaultValue={r.countedQuantity ?? ''}
                  onChange={(e) => setCounts((c) => ({ ...c, [r.id]: e.target.value }))}
                />
              ) : (
                `${r.countedQuantity ?? '—'} ${r.unit ?? ''}`
              ),
          },
          ...(st.blind
            ? []
            : [
                {
                  title: it('st.variance'),
                  dataIndex: 'variance',
                  align: 'right' as const,
                  render: (v: string | null, r: Line) => (
                    <span data-testid={`variance-${r.lotCode}-${r.locationCode}`} style={{ color: v && v.startsWith('-') ? '#cf1322' : undefined }}>
                      {v}
                    </span>
                  ),
                },
                {
                  title: it('st.reasonCode'),
                  key: 'reason',
                  render: (_: unknown, r: Line) =>
                    r.variance && Number(r.variance) !== 0 ? (
                      reviewing ? (
                        <Select
                          data-testid={`reason-${r.lotCode}-${r.locationCode}`}
                          style={{ width: 140 }}
                          defaultValue={r.reasonCode ?? undefined}
                          onChange={(v: string) => setReasons((x) => ({ ...x, [r.id]: v }))}
                          options={REASONS.map((x) => ({ value: x, label: it(`reason.${x}`) }))}
                        />
                      ) : r.reasonCode ? (
                        it(`reason.${r.reasonCode as 'other'}`)
                      ) : (
                        '—'
                      )
                    ) : null,
                },
              ]),
        ]}
      />
      {confirmHolder}
      <Card size="small" title={it('lotDetail.history')}>
        <Timeline
          items={st.history.map((h) => ({
            children: `${formatDateTime(h.at)} · ${h.actorName} · ${it(STATUS_KEY[h.toState as keyof typeof STATUS_KEY])}${h.reason ? ` · ${h.reason}` : ''}`,
          }))}
        />
      </Card>
    </Space>
  );
}
