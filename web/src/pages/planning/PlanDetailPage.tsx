import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Progress, Space, Table, Tag } from 'antd';
import { Link, useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useConfirm } from '../../app/confirm';
import { formatDate } from '../../app/format';
import { showError } from '../../app/problem';
import { jsonFetch } from '../catalog/page-kit';
import { GanttBars, GanttLegend } from './Gantt';
import { PLAN_COLORS, TASK_COLORS, usePlanT, type PlanDetail, type Stage, type Task } from './i18n';

/** One plan: stages on a Gantt strip, capacity check, confirmation (with a manager's override), tasks. */
export function PlanDetailPage() {
  const { id = '' } = useParams();
  const pt = usePlanT();
  const { can } = useAuth();
  const [confirm, dialog] = useConfirm();
  const q = useQuery({ queryKey: ['plan', id], queryFn: () => jsonFetch<PlanDetail>(`/api/planning/plans/${id}`) });
  const p = q.data;
  if (!p) return <Card loading />;
  const run = async (url: string, body: unknown) => {
    try {
      await jsonFetch(url, { method: 'POST', body });
      await q.refetch();
    } catch (e) {
      showError(e);
    }
  };
  const over = p.capacityIssues.length > 0;
  const doConfirm = async () => {
    if (!over) return run(`/api/planning/plans/${id}/confirm`, {});
    const a = await confirm({ title: pt('override'), consequence: pt('overCapacity'), reason: { label: pt('overrideReason'), required: true }, danger: false, testId: 'override' });
    if (a) await run(`/api/planning/plans/${id}/confirm`, { overrideReason: a.reason });
  };
  const from = p.startDate ?? p.deliveryDate;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {dialog}
      <Link to="/planning/plans">← {pt('back')}</Link>
      <Card
        title={
          <Space wrap>
            {p.code}
            <Tag color={PLAN_COLORS[p.status]} data-testid="plan-status">
              {pt(`planStatus.${p.status}`)}
            </Tag>
            {p.atRisk ? <Tag color="red">{pt('atRisk')}</Tag> : <Tag color="green">{pt('onTrack')}</Tag>}
          </Space>
        }
        extra={
          can('planning:manage') && (
            <Space>
              {p.status === 'draft' && (
                <Button type="primary" onClick={() => void doConfirm()} data-testid="plan-confirm" disabled={over && !can('planning:override')}>
                  {over ? pt('override') : pt('confirm')}
                </Button>
              )}
              {(p.status === 'draft' || p.status === 'confirmed') && <Button onClick={() => void run(`/api/planning/plans/${id}/cancel`, {})}>{pt('cancelPlan')}</Button>}
            </Space>
          )
        }
      >
        {p.atRisk && <Alert type="error" showIcon title={p.riskReason} style={{ marginBottom: 12 }} />}
        {p.status === 'draft' &&
          (over ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={pt('overCapacity')}
              description={p.capacityIssues.map((i) => `${i.name} ${i.date}: ${i.load} > ${i.capacity}`).join('; ')}
              data-testid="capacity-issues"
            />
          ) : (
            <Alert type="success" showIcon title={pt('noIssues')} style={{ marginBottom: 12 }} />
          ))}
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={pt('f.product')}>
            {p.productCode} {p.productName}
          </Descriptions.Item>
          <Descriptions.Item label={pt('f.quantity')}>{p.quantity}</Descriptions.Item>
          <Descriptions.Item label={pt('f.deliveryDate')}>{formatDate(p.deliveryDate)}</Descriptions.Item>
          {p.overrideReason && <Descriptions.Item label={pt('overrideReason')}>{p.overrideReason}</Descriptions.Item>}
        </Descriptions>
        <div style={{ margin: '12px 0' }}>
          <GanttLegend />
          <GanttBars stages={p.stages} from={from} to={p.deliveryDate} deliveryDate={p.deliveryDate} width={640} />
        </div>
        <Table<Stage>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={p.stages}
          columns={[
            { title: pt('f.stage'), dataIndex: 'kind', render: (v: Stage['kind']) => pt(`stageKind.${v}`) },
            { title: pt('f.start'), dataIndex: 'startDate', render: formatDate },
            { title: pt('f.end'), dataIndex: 'endDate', render: formatDate },
            {
              title: pt('f.milestone'),
              dataIndex: 'milestone',
              render: (v: string | null) => (v && ['sown', 'ready_to_harvest', 'harvested', 'processed', 'packed'].includes(v) ? pt(`milestone.${v as 'sown'}`) : (v ?? '')),
            },
            { title: pt('f.responsible'), dataIndex: 'responsibleName', render: (v: string | null) => v ?? '—' },
            { title: pt('f.resource'), render: (_, s) => (s.resourceType ? pt(`resourceType.${s.resourceType as 'field'}`) : '—') },
          ]}
        />
      </Card>
      <Card title={pt('allTasks')}>
        <Table<Task>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={p.tasks}
          columns={[
            { title: pt('f.kind'), dataIndex: 'kind', render: (v: Task['kind']) => pt(`taskKind.${v}`) },
            { title: pt('f.due'), dataIndex: 'dueDate', render: (v: string, t) => <span style={t.late ? { color: '#cf1322' } : undefined}>{formatDate(v)}</span> },
            { title: pt('f.assignee'), dataIndex: 'assigneeName', render: (v: string | null) => v ?? '—' },
            { title: pt('f.status'), dataIndex: 'status', render: (v: Task['status']) => <Tag color={TASK_COLORS[v]}>{pt(`taskStatus.${v}`)}</Tag> },
            { title: pt('f.progress'), dataIndex: 'progressPct', render: (v: number) => <Progress percent={v} size="small" style={{ width: 120 }} /> },
            { title: pt('f.problem'), dataIndex: 'problem', render: (v: string | null) => v ?? '' },
          ]}
        />
      </Card>
    </Space>
  );
}
