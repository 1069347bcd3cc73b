import { Tooltip } from 'antd';
import { STAGE_COLORS, usePlanT, type Stage } from './i18n';

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** A plan's stages as bars on a shared time scale (from … to), with a line for today and one for the delivery date. */
export function GanttBars({ stages, from, to, deliveryDate, width = 420 }: { stages: Stage[]; from: string; to: string; deliveryDate: string; width?: number }) {
  const pt = usePlanT();
  const span = Math.max(1, (ms(to) - ms(from)) / DAY);
  const x = (d: string) => Math.max(0, Math.min(width, ((ms(d) - ms(from)) / DAY / span) * width));
  const today = new Date().toISOString().slice(0, 10);
  return (
    <div style={{ position: 'relative', width, height: 18, background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 3 }} data-testid="gantt-row">
      {stages.map((s) => (
        <Tooltip key={s.id} title={`${pt(`stageKind.${s.kind}`)} ${s.startDate} – ${s.endDate}`}>
          <div
            style={{
              position: 'absolute',
              left: x(s.startDate),
              width: Math.max(2, x(s.endDate) - x(s.startDate) + width / span),
              top: 2,
              height: 12,
              background: STAGE_COLORS[s.kind],
              borderRadius: 2,
            }}
          />
        </Tooltip>
      ))}
      <div style={{ position: 'absolute', left: x(today), top: 0, bottom: 0, width: 1, background: '#ff4d4f' }} />
      <div style={{ position: 'absolute', left: x(deliveryDate), top: -2, bottom: -2, width: 2, background: '#000' }} />
    </div>
  );
}

export function GanttLegend() {
  const pt = usePlanT();
  return (
    <span style={{ fontSize: 12 }}>
      {(Object.keys(STAGE_COLORS) as Stage['kind'][]).map((k) => (
        <span key={k} style={{ marginRight: 12 }}>
          <span style={{ display: 'inline-block', width: 10, height: 10, background: STAGE_COLORS[k], marginRight: 4 }} />
          {pt(`stageKind.${k}`)}
        </span>
      ))}
    </span>
  );
}
