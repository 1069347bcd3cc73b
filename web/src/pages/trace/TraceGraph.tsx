import { Tag } from 'antd';

export type GraphNode = {
  id: string;
  kind: 'lot' | 'field' | 'input' | 'check' | 'location' | 'order' | 'customer';
  label: string;
  sub?: string | null;
  status?: string | null;
  depth: number;
};
export type GraphEdge = { from: string; to: string; label?: string | null };

const COLORS: Record<GraphNode['kind'], string> = {
  lot: '#1677ff',
  field: '#52c41a',
  input: '#fa8c16',
  check: '#13c2c2',
  location: '#722ed1',
  order: '#eb2f96',
  customer: '#f5222d',
};
const W = 170;
const H = 46;
const GX = 70;
const GY = 18;

/** A layered left-to-right graph in plain SVG: one column per depth; click a node to select it. */
export function TraceGraph({ nodes, edges, reverse, onSelect }: { nodes: GraphNode[]; edges: GraphEdge[]; reverse?: boolean; onSelect?: (n: GraphNode) => void }) {
  const maxDepth = Math.max(0, ...nodes.map((n) => n.depth));
  const cols = new Map<number, GraphNode[]>();
  for (const n of nodes) cols.set(n.depth, [...(cols.get(n.depth) ?? []), n]);
  const pos = new Map<string, { x: number; y: number }>();
  for (const [d, list] of cols) list.forEach((n, i) => pos.set(n.id, { x: (reverse ? maxDepth - d : d) * (W + GX) + 10, y: i * (H + GY) + 10 }));
  const width = (maxDepth + 1) * (W + GX) + 20;
  const height = Math.max(...[...cols.values()].map((l) => l.length), 1) * (H + GY) + 20;
  return (
    <div style={{ overflow: 'auto' }} data-testid="trace-graph">
      <svg width={width} height={height} role="img">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#999" />
          </marker>
        </defs>
        {edges.map((e, i) => {
          const a = pos.get(e.from);
          const b = pos.get(e.to);
          if (!a || !b) return null;
          const [x1, x2] = a.x < b.x ? [a.x + W, b.x] : [a.x, b.x + W];
          return (
            <g key={i}>
              <path
                d={`M ${x1} ${a.y + H / 2} C ${(x1 + x2) / 2} ${a.y + H / 2}, ${(x1 + x2) / 2} ${b.y + H / 2}, ${x2} ${b.y + H / 2}`}
                stroke="#bbb"
                fill="none"
                markerEnd="url(#arrow)"
              />
              {e.label && (
                <text x={(x1 + x2) / 2} y={(a.y + b.y) / 2 + H / 2 - 4} fontSize={10} fill="#888" textAnchor="middle">
                  {e.label}
                </text>
              )}
            </g>
          );
        })}
        {nodes.map((n) => {
          const p = pos.get(n.id)!;
          return (
            <g key={n.id} transform={`translate(${p.x},${p.y})`} style={{ cursor: 'pointer' }} onClick={() => onSelect?.(n)} data-testid={`graph-node-${n.kind}`}>
              <rect width={W} height={H} rx={6} fill="#fff" stroke={COLORS[n.kind]} strokeWidth={n.status === 'on_hold' || n.status === 'fail' ? 3 : 1.5} />
              <text x={8} y={18} fontSize={12} fontWeight={600} fill={COLORS[n.kind]}>
                {n.label.slice(0, 22)}
              </text>
              <text x={8} y={36} fontSize={11} fill="#555">
                {`${n.sub ?? ''}${n.status ? ` · ${n.status}` : ''}`.slice(0, 26)}
              </text>
            </g>
          );
        })}
      </svg>
      <div>
        {(Object.keys(COLORS) as GraphNode['kind'][]).map((k) => (
          <Tag key={k} color={COLORS[k]}>
            {k}
          </Tag>
        ))}
      </div>
    </div>
  );
}
