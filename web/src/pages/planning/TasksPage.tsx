import { CameraOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Input, InputNumber, Modal, Progress, Segmented, Slider, Space, Tag, Upload } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../app/auth';
import { useMessage } from '../../app/feedback';
import { formatDate } from '../../app/format';
import { LocationPicker } from '../../app/pickers';
import { applyServerErrors, showError } from '../../app/problem';
import { jsonFetch, queryString, uploadFile, type Page } from '../catalog/page-kit';
import { TASK_COLORS, usePlanT, type Task } from './i18n';

type Action = { task: Task; kind: 'progress' | 'block' | 'complete' };

/** Field staff's task list, phone-first: big cards, start / progress / problem with photo / complete (harvest into stock). */
export function TasksPage() {
  const pt = usePlanT();
  const { can } = useAuth();
  const message = useMessage();
  const [scope, setScope] = useState<'mine' | 'all'>(can('tasks:work') ? 'mine' : 'all');
  const [action, setAction] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ progressPct?: number; quantity?: number; unit?: string; reason?: string; locationId?: string }>();
  const q = useQuery({
    queryKey: ['tasks', scope],
    queryFn: () => jsonFetch<Page<Task>>(`/api/planning/tasks?${queryString({ mine: scope === 'mine' ? 'true' : undefined, pageSize: 100, sort: 'dueDate' })}`),
  });
  const items = (q.data?.items ?? []).filter((t) => t.status !== 'done' && t.status !== 'cancelled');
  const post = async (task: Task, event: string, body: unknown = {}) => {
    try {
      await jsonFetch(`/api/planning/tasks/${task.id}/${event}`, { method: 'POST', body });
      await q.refetch();
    } catch (e) {
      showError(e);
    }
  };
  const submit = async () => {
    if (!action) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const { task, kind } = action;
      if (kind === 'progress')
        await jsonFetch(`/api/planning/tasks/${task.id}/progress`, {
          method: 'POST',
          body: { progressPct: v.progressPct ?? 0, quantity: v.quantity ? String(v.quantity) : null, unit: v.unit ?? null },
        });
      if (kind === 'block') await jsonFetch(`/api/planning/tasks/${task.id}/block`, { method: 'POST', body: { reason: v.reason } });
      if (kind === 'complete')
        await jsonFetch(`/api/planning/tasks/${task.id}/complete`, {
          method: 'POST',
          body: { quantity: v.quantity ? String(v.quantity) : null, unit: v.quantity ? (v.unit ?? 'kg') : null, locationId: v.locationId ?? null },
        });
      setAction(null);
      form.resetFields();
      await q.refetch();
    } catch (e) {
      applyServerErrors(form, e);
    } finally {
      setBusy(false);
    }
  };
  const photo = async (task: Task, file: File) => {
    try {
      await uploadFile(`/api/planning/tasks/${task.id}/photos`, file);
      void message.success(pt('task.photoDone'));
      await q.refetch();
    } catch (e) {
      showError(e);
    }
  };
  const big = { size: 'large' as const, block: true };
  return (
    <Space orientation="vertical" style={{ width: '100%', maxWidth: 560 }}>
      <style>{'.task-photo-upload, .task-photo-upload .ant-upload { display: block; width: 100%; }'}</style>
      <Segmented<'mine' | 'all'>
        block
        value={scope}
        onChange={setScope}
        options={[
          { value: 'mine', label: pt('tasks') },
          { value: 'all', label: pt('allTasks') },
        ]}
      />
      {!items.length && !q.isFetching && <Empty description={pt('task.empty')} />}
      {items.map((t) => (
        <Card
          key={t.id}
          size="small"
          data-testid={`task-${t.kind}`}
          title={
            <Space wrap>
              <strong>{pt(`taskKind.${t.kind}`)}</strong>
              <Tag color={TASK_COLORS[t.status]}>{pt(`taskStatus.${t.status}`)}</Tag>
              {t.late && <Tag color="red">{pt('task.late')}</Tag>}
            </Space>
          }
        >
          <div style={{ marginBottom: 8, color: '#666' }}>
            {t.planCode} · {t.productName} · {pt('f.due')} {formatDate(t.dueDate)}
            {t.assigneeName ? ` · ${t.assigneeName}` : ''}
          </div>
          <Progress percent={t.progressPct} />
          {t.problem && <Alert type={t.status === 'blocked' ? 'error' : 'info'} showIcon title={t.problem} style={{ margin: '8px 0' }} />}
          {can('tasks:work') && (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {t.status === 'open' && (
                <Button type="primary" {...big} onClick={() => void post(t, 'start')} data-testid="task-start">
                  {pt('task.start')}
                </Button>
              )}
              {t.status === 'in_progress' && (
                <>
                  <Button {...big} onClick={() => setAction({ task: t, kind: 'progress' })} data-testid="task-progress">
                    {pt('task.progress')}
                  </Button>
                  <Button type="primary" {...big} onClick={() => setAction({ task: t, kind: 'complete' })} data-testid="task-complete">
                    {pt('task.complete')}
                  </Button>
                </>
              )}
              {t.status === 'blocked' ? (
                <Button {...big} onClick={() => void post(t, 'unblock')}>
                  {pt('task.unblock')}
                </Button>
              ) : (
                <Button danger {...big} onClick={() => setAction({ task: t, kind: 'block' })} data-testid="task-block">
                  {pt('task.block')}
                </Button>
              )}
              <Upload
                className="task-photo-upload"
                accept="image/*"
                capture="environment"
                showUploadList={false}
                beforeUpload={(file) => {
                  void photo(t, file);
                  return false;
                }}
              >
                <Button icon={<CameraOutlined />} {...big}>
                  {pt('task.photo')} {t.photoIds.length ? `(${t.photoIds.length})` : ''}
                </Button>
              </Upload>
            </Space>
          )}
        </Card>
      ))}
      <Modal
        open={!!action}
        title={action ? pt(`task.${action.kind === 'progress' ? 'progress' : action.kind}`) : ''}
        onCancel={() => setAction(null)}
        onOk={() => void submit()}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'task-action-ok' } as Record<string, string>}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ progressPct: action?.task.progressPct ?? 0, unit: 'kg' }}>
          {action?.kind === 'progress' && (
            <Form.Item name="progressPct" label={pt('f.progress')}>
              <Slider min={0} max={100} />
            </Form.Item>
          )}
          {action?.kind === 'block' && (
            <Form.Item name="reason" label={pt('f.problem')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} placeholder={pt('task.problemPlaceholder')} data-testid="task-problem" />
            </Form.Item>
          )}
          {action && action.kind !== 'block' && (
            <Space>
              <Form.Item name="quantity" label={pt('f.quantity')} rules={action.kind === 'complete' && action.task.kind === 'harvest' ? [{ required: true }] : []}>
                <InputNumber min={0.001} size="large" inputMode="decimal" data-testid="task-quantity" />
              </Form.Item>
              <Form.Item name="unit" label={pt('f.unit')}>
                <Input size="large" style={{ width: 80 }} />
              </Form.Item>
            </Space>
          )}
          {action?.kind === 'complete' && action.task.kind === 'harvest' && (
            <>
              <Alert type="info" showIcon title={pt('task.harvestHint')} style={{ marginBottom: 8 }} />
              <Form.Item name="locationId" label={pt('f.location')} rules={[{ required: true }]}>
                <LocationPicker testId="task-location" />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
