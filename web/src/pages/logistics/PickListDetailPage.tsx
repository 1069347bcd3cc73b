import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Input, Modal, Space, Table, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { downloadFile } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useMessage } from '../../app/feedback';
import { formatDateTime } from '../../app/format';
import { showError, toProblem } from '../../app/problem';
import { jsonFetch } from '../catalog/page-kit';
import { useLogisticsT } from './i18n';
import { PICK_COLORS, type PickLine, type PickListDetail } from './types';

type Entry = { lotCode: string; quantity: string };

/** One pick list in walk order: scan (or type) each line's lot code, adjust a short quantity, confirm. */
export function PickListDetailPage() {
  const { id = '' } = useParams();
  const lt = useLogisticsT();
  const { can } = useAuth();
  const message = useMessage();
  const client = useQueryClient();
  const q = useQuery({ queryKey: ['logistics', 'pick-list', id], queryFn: () => jsonFetch<PickListDetail>(`/api/logistics/pick-lists/${id}`) });
  const pl = q.data;
  const [entries, setEntries] = useState<Record<string, Entry>>({});
  const [scan, setScan] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const scanRef = useRef<{ focus: () => void } | null>(null);
  useEffect(() => {
    if (pl) setEntries(Object.fromEntries(pl.lines.map((l) => [l.id, { lotCode: l.scannedLotCode ?? '', quantity: l.pickedQuantity ?? l.quantity }])));
  }, [pl]);
  const open = pl?.status === 'open' && can('picking:manage');
  const set = (lineId: string, patch: Partial<Entry>) => setEntries((e) => ({ ...e, [lineId]: { ...e[lineId]!, ...patch } }));

  const onScan = () => {
    const code = scan.trim();
    if (!code || !pl) return;
    const line = pl.lines.find((l) => l.lotCode.toUpperCase() === code.toUpperCase() && !entries[l.id]?.lotCode);
    if (line) {
      set(line.id, { lotCode: code });
      void message.success(lt('pick.scanMatched', { seq: line.seq }));
    } else void message.error(lt('pick.scanNotOnList', { code }));
    setScan('');
    scanRef.current?.focus();
  };

  const confirm = async () => {
    if (!pl) return;
    setBusy(true);
    setProblem(null);
    try {
      await jsonFetch(`/api/logistics/pick-lists/${id}/confirm`, { method: 'POST', body: { lines: pl.lines.map((l) => ({ lineId: l.id, ...entries[l.id]! })) } });
      void message.success(lt('pick.confirmed'));
      await client.invalidateQueries({ queryKey: ['logistics', 'pick-list', id] });
    } catch (error) {
      const p = toProblem(error);
      setProblem([...new Set([p.detail ?? p.title, ...(p.errors ?? []).map((e) => e.message)].filter(Boolean))].join(' '));
    } finally {
      setBusy(false);
    }
  };

  const cancel = () => {
    let reason = '';
    Modal.confirm({
      title: lt('pick.cancel'),
      content: <Input placeholder={lt('pick.cancelReason')} onChange={(e) => (reason = e.target.value)} />,
      onOk: async () => {
        try {
          await jsonFetch(`/api/logistics/pick-lists/${id}/cancel`, { method: 'POST', body: { reason } });
          await client.invalidateQueries({ queryKey: ['logistics', 'pick-list', id] });
        } catch (error) {
          showError(error);
        }
      },
    });
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Link to="/logistics/pick-lists">← {lt('pick.back')}</Link>
      <Card
        loading={!pl}
        title={pl && `${lt('pick.number')} ${pl.number}`}
        extra={
          pl && (
            <Space>
              <Tag color={PICK_COLORS[pl.status]}>{lt(`pick.statuses.${pl.status}`)}</Tag>
              <Button onClick={() => void downloadFile(`/api/logistics/pick-lists/${id}/pick-list.pdf`, `${pl.number}.pdf`).catch(showError)}>{lt('pick.print')}</Button>
              {open && (
                <Button danger onClick={cancel}>
                  {lt('pick.cancel')}
                </Button>
              )}
            </Space>
          )
        }
      >
        {pl && (
          <Descriptions size="small" column={3}>
            <Descriptions.Item label={lt('pick.orders')}>{pl.orderNumbers.join(', ')}</Descriptions.Item>
            <Descriptions.Item label={lt('pick.createdBy')}>
              {pl.createdBy} · {formatDateTime(pl.createdAt)}
            </Descriptions.Item>
            <Descriptions.Item label={lt('pick.confirmedBy')}>{pl.confirmedBy ? `${pl.confirmedBy} · ${formatDateTime(pl.confirmedAt)}` : '—'}</Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Card
        title={
          open && (
            <Input.Search
              ref={(r) => {
                scanRef.current = r;
              }}
              autoFocus
              value={scan}
              onChange={(e) => setScan(e.target.value)}
              onSearch={onScan}
              placeholder={lt('pick.scan')}
              style={{ maxWidth: 420 }}
              data-testid="pick-scan"
            />
          )
        }
        extra={
          open && (
            <Button type="primary" loading={busy} onClick={() => void confirm()} data-testid="pick-confirm">
              {lt('pick.confirm')}
            </Button>
          )
        }
      >
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="pick-problem" />}
        <Table<PickLine>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={pl?.lines ?? []}
          columns={[
            { title: lt('pick.seq'), dataIndex: 'seq', width: 60 },
            { title: lt('pick.location'), dataIndex: 'locationCode', render: (_, l) => `${l.warehouseCode} / ${l.locationCode}` },
            { title: lt('pick.orders'), dataIndex: 'orderNumber' },
            { title: lt('pick.product'), dataIndex: 'productName', render: (_, l) => `${l.productCode} ${l.productName}` },
            { title: lt('pick.lot'), dataIndex: 'lotCode' },
            { title: lt('pick.expiry'), dataIndex: 'expiryDate' },
            { title: lt('pick.quantity'), dataIndex: 'quantity', align: 'right', render: (_, l) => `${l.quantity} ${l.unit}` },
            {
              title: lt('pick.scanned'),
              dataIndex: 'scannedLotCode',
              render: (_, l) =>
                open ? (
                  <Input
                    size="small"
                    value={entries[l.id]?.lotCode}
                    onChange={(e) => set(l.id, { lotCode: e.target.value })}
                    data-testid={`pick-lot-${l.seq}`}
                    style={{ width: 160 }}
                  />
                ) : (
                  (l.scannedLotCode ?? '—')
                ),
            },
            {
              title: lt('pick.picked'),
              dataIndex: 'pickedQuantity',
              render: (_, l) =>
                open ? (
                  <Input
                    size="small"
                    value={entries[l.id]?.quantity}
                    onChange={(e) => set(l.id, { quantity: e.target.value })}
                    data-testid={`pick-qty-${l.seq}`}
                    style={{ width: 100 }}
                  />
                ) : (
                  (l.pickedQuantity ?? '—')
                ),
            },
            {
              title: lt('pick.status'),
              dataIndex: 'status',
              render: (_, l) => <Tag color={l.status === 'short' ? 'orange' : l.status === 'picked' ? 'green' : 'default'}>{lt(`pick.lineStatuses.${l.status}`)}</Tag>,
            },
          ]}
        />
      </Card>
      {pl && pl.backorders.length > 0 && (
        <Card title={lt('pick.backorders')}>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={pl.backorders}
            data-testid="pick-backorders"
            columns={[
              { title: lt('backorder.order'), dataIndex: 'orderNumber' },
              { title: lt('backorder.product'), dataIndex: 'productName' },
              { title: lt('backorder.quantity'), dataIndex: 'quantity', align: 'right' },
              { title: lt('backorder.unit'), dataIndex: 'unit' },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
