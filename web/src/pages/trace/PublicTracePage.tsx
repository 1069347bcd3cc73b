import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Result, Spin, Tag, Timeline } from 'antd';
import { useParams } from 'react-router';
import { ApiError } from '../../app/problem';
import { http } from '../quality/http';
import { useTraceT } from './i18n';

type PublicTrace = {
  code: string;
  product: { name: string; spec: string | null; category: string };
  lotCode: string;
  origin: string | null;
  harvestDate: string | null;
  productionDate: string;
  expiryDate: string;
  fields: { base: string; field: string; region: string | null }[];
  inspections: { stage: 'source' | 'in_process' | 'finished' | 'pre_shipment' | 'returned'; inspectedOn: string }[];
  processing: { kind: 'wash' | 'grade' | 'cut' | 'pack' | 'mix'; runOn: string }[];
};

/** The consumer page behind the QR code: works without login; a friendly 404 for unknown codes. */
export function PublicTracePage() {
  const t = useTraceT();
  const { code = '' } = useParams();
  const q = useQuery({ queryKey: ['public-trace', code], queryFn: () => http<PublicTrace>('GET', `/api/public/trace/${encodeURIComponent(code)}`), retry: false });
  if (q.isLoading) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  if (q.error || !q.data) {
    const notFound = q.error instanceof ApiError && q.error.status === 404;
    return <Result data-testid="public-trace-404" status={notFound ? '404' : 'error'} title={t('pub.notFound')} subTitle={t('pub.notFoundHint')} />;
  }
  const d = q.data;
  return (
    <div style={{ maxWidth: 560, margin: '0 auto', padding: 16 }} data-testid="public-trace">
      <Card title={`${t('pub.title')} · ${d.code}`}>
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('pub.product')}>{`${d.product.name}${d.product.spec ? ` ${d.product.spec}` : ''}`}</Descriptions.Item>
          <Descriptions.Item label={t('pub.lot')}>{d.lotCode}</Descriptions.Item>
          <Descriptions.Item label={t('pub.origin')}>{d.origin ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('pub.harvest')}>{d.harvestDate ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('pub.produced')}>{d.productionDate}</Descriptions.Item>
          <Descriptions.Item label={t('pub.expiry')}>{d.expiryDate}</Descriptions.Item>
          <Descriptions.Item label={t('pub.fields')}>{d.fields.map((f) => `${f.base} ${f.field}`).join('; ') || '—'}</Descriptions.Item>
        </Descriptions>
        <h4 style={{ marginTop: 16 }}>{t('pub.inspections')}</h4>
        {d.inspections.map((i, n) => (
          <Tag color="green" key={n}>{`${t(`stages.${i.stage}`)} ${i.inspectedOn} ${t('pub.pass')}`}</Tag>
        ))}
        <h4 style={{ marginTop: 16 }}>{t('pub.processing')}</h4>
        <Timeline items={d.processing.map((p) => ({ children: `${p.runOn} ${t(`kinds.${p.kind}`)}` }))} />
      </Card>
    </div>
  );
}
