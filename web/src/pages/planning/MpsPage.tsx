import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Checkbox, Input, InputNumber, Space, Table, Upload } from 'antd';
import { useState } from 'react';
import { downloadFile } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useMessage } from '../../app/feedback';
import { showError } from '../../app/problem';
import { jsonFetch, queryString, uploadFile, type Page } from '../catalog/page-kit';
import { usePlanT } from './i18n';

type Week = { weekStart: string; orders: string; forecast: string; demand: string; planned: string; projected: string; net: string };
type Row = { productId: string; productCode: string; productName: string; stock: string; totalNet: string; weeks: Week[] };

/** MPS: per product and week, demand (orders vs forecast), planned, projected stock and the net requirement. */
export function MpsPage() {
  const pt = usePlanT();
  const { can } = useAuth();
  const message = useMessage();
  const [weeks, setWeeks] = useState(12);
  const [onlyNet, setOnlyNet] = useState(false);
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const query = { weeks, onlyNet: onlyNet ? 'true' : undefined, q: keyword || undefined, page, pageSize: 50 };
  const q = useQuery({ queryKey: ['mps', query], queryFn: () => jsonFetch<Page<Row> & { weekStarts: string[] }>(`/api/planning/mps?${queryString(query)}`) });
  const weekStarts = q.data?.weekStarts ?? [];
  const importFile = async (file: File) => {
    try {
      const r = await uploadFile<{ saved: number }>('/api/planning/forecasts/import', file);
      void message.success(pt('forecastImported', { count: r.saved }));
      await q.refetch();
    } catch (e) {
      showError(e);
    }
  };
  const cell = (w: Week | undefined) =>
    w && (
      <div
        style={{ fontSize: 12, lineHeight: 1.3, whiteSpace: 'nowrap' }}
        title={`${pt('f.orders')} ${w.orders} / ${pt('f.forecast')} ${w.forecast} / ${pt('f.planned')} ${w.planned}`}
      >
        <div>
          {w.demand} / {w.planned}
        </div>
        <div style={{ color: Number(w.net) > 0 ? '#cf1322' : '#389e0d', fontWeight: 600 }}>{Number(w.net) > 0 ? `−${w.net}` : w.projected}</div>
      </div>
    );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <h2 style={{ margin: 0 }}>{pt('mps')}</h2>
        <Input.Search allowClear onSearch={(v) => (setKeyword(v), setPage(1))} style={{ width: 200 }} />
        <span>{pt('weeks')}</span>
        <InputNumber min={1} max={104} value={weeks} onChange={(v) => setWeeks(v ?? 12)} />
        <Checkbox checked={onlyNet} onChange={(e) => setOnlyNet(e.target.checked)}>
          {pt('onlyNet')}
        </Checkbox>
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void downloadFile(`/api/planning/mps/export.xlsx?${queryString({ weeks, onlyNet: query.onlyNet, q: query.q })}`, 'mps.xlsx').catch(showError)}
        >
          Excel
        </Button>
        {can('planning:manage') && (
          <>
            <Button onClick={() => void downloadFile('/api/planning/forecasts/import-template.xlsx', 'forecast-template.xlsx').catch(showError)}>{pt('forecastTemplate')}</Button>
            <Upload
              accept=".xlsx"
              showUploadList={false}
              beforeUpload={(f) => {
                void importFile(f);
                return false;
              }}
            >
              <Button type="primary" icon={<UploadOutlined />} data-testid="forecast-import">
                {pt('importForecast')}
              </Button>
            </Upload>
          </>
        )}
      </Space>
      <div style={{ fontSize: 12, color: '#666' }}>{pt('mpsLegend')}</div>
      <Table<Row>
        rowKey="productId"
        size="small"
        bordered
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: 50, total: q.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: pt('f.product'), fixed: 'left', render: (_, r) => `${r.productCode} ${r.productName}` },
          { title: pt('f.stock'), dataIndex: 'stock', align: 'right' },
          { title: pt('f.total'), dataIndex: 'totalNet', align: 'right', render: (v: string) => <strong data-testid="mps-total-net">{v}</strong> },
          ...weekStarts.map((w, i) => ({ title: w.slice(5), key: w, render: (_: unknown, r: Row) => cell(r.weeks[i]) })),
        ]}
      />
    </Space>
  );
}
