import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Form, Input, List, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { formatDateTime } from '../../app/format';
import { showError } from '../../app/problem';
import { jsonFetch } from '../catalog/page-kit';
import { FormModal } from '../procurement/kit';
import { SEVERITY_COLORS, STATUS_COLORS, useTrackT, type Exc } from './i18n';
import { AssigneePicker } from './kit';

type Dialog = null | 'respond' | 'resolve' | 'escalate' | 'action';

/** One exception: timers, response plan, actions, transitions and escalation. */
export function ExceptionDetailPage() {
  const { id = '' } = useParams();
  const tt = useTrackT();
  const { can } = useAuth();
  const [dialog, setDialog] = useState<Dialog>(null);
  const q = useQuery({ queryKey: ['exception', id], queryFn: () => jsonFetch<Exc>(`/api/tracking/exceptions/${id}`) });
  const x = q.data;
  if (!x) return <Card loading />;
  const base = `/api/tracking/exceptions/${id}`;
  const post = async (path: string, body: unknown = {}) => {
    await jsonFetch(`${base}/${path}`, { method: 'POST', body });
    await q.refetch();
  };
  const simple = (event: 'reopen' | 'close') => () => void post(event).catch(showError);
  const manage = can('exceptions:manage');
  const live = x.status === 'open' || x.status === 'responding';
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <Space>
            <Link to="/exceptions">{tt('back')}</Link>
            <span>
              {x.number} {x.title}
            </span>
            <Tag color={SEVERITY_COLORS[x.severity]}>{tt(`sev.${x.severity}`)}</Tag>
            <Tag color={STATUS_COLORS[x.status]}>{tt(`st.${x.status}`)}</Tag>
          </Space>
        }
        extra={
          manage && (
            <Space>
              {x.status === 'open' && <Button onClick={() => setDialog('respond')}>{tt('respond')}</Button>}
              {live && (
                <Button type="primary" onClick={() => setDialog('resolve')}>
                  {tt('resolve')}
                </Button>
              )}
              {x.status === 'resolved' && <Button onClick={simple('reopen')}>{tt('reopen')}</Button>}
              {x.status === 'resolved' && <Button onClick={simple('close')}>{tt('close')}</Button>}
              {live && x.escalationLevel < 2 && (
                <Button danger onClick={() => setDialog('escalate')}>
                  {tt('escalate')}
                </Button>
              )}
            </Space>
          )
        }
      >
        <Descriptions column={2} size="small">
          <Descriptions.Item label={tt('f.type')}>{tt(`type.${x.type}`)}</Descriptions.Item>
          <Descriptions.Item label={tt('f.owner')}>{x.ownerName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={tt('f.responseDue')}>
            <span style={x.responseOverdue ? { color: '#cf1322' } : undefined}>{formatDateTime(x.responseDueAt)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={tt('f.resolutionDue')}>
            <span style={x.resolutionOverdue ? { color: '#cf1322' } : undefined}>{formatDateTime(x.resolutionDueAt)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={tt('f.level')}>{tt(`lvl.l${Math.min(x.escalationLevel, 2)}` as 'lvl.l0')}</Descriptions.Item>
          <Descriptions.Item label={tt('f.age')}>{x.ageWorkingHours ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={tt('f.order')}>{x.orderId ? <Link to={`/orders/${x.orderId}`}>{tt('f.order')}</Link> : '—'}</Descriptions.Item>
          <Descriptions.Item label={tt('f.createdAt')}>{formatDateTime(x.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={tt('f.description')} span={2}>
            {x.description ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={tt('f.responsePlan')} span={2}>
            {x.responsePlan ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={tt('f.resolution')} span={2}>
            {x.resolution ?? '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={tt('f.actions')} extra={manage && x.status !== 'closed' && <Button onClick={() => setDialog('action')}>{tt('addAction')}</Button>}>
        <List
          dataSource={x.actions ?? []}
          renderItem={(a) => (
            <List.Item
              actions={
                manage && !a.doneAt
                  ? [
                      <Button key="done" size="small" onClick={() => void post(`actions/${a.id}/done`).catch(showError)}>
                        {tt('done')}
                      </Button>,
                    ]
                  : []
              }
            >
              <span style={a.doneAt ? { textDecoration: 'line-through' } : undefined}>{a.text}</span>
              {a.dueOn && <Tag style={{ marginLeft: 8 }}>{a.dueOn}</Tag>}
            </List.Item>
          )}
        />
      </Card>
      <FormModal<{ text?: string; toUserId?: string; reason?: string }>
        open={dialog !== null}
        title={dialog ? tt(dialog === 'action' ? 'addAction' : dialog) : ''}
        onClose={() => setDialog(null)}
        submit={async (v) => {
          if (dialog === 'escalate') await post('escalate', { toUserId: v.toUserId, reason: v.reason });
          else if (dialog === 'action') await post('actions', { text: v.text });
          else if (dialog) await post(dialog, { text: v.text });
        }}
      >
        {() =>
          dialog === 'escalate' ? (
            <>
              <Form.Item name="toUserId" label={tt('f.toUser')} rules={[{ required: true }]}>
                <AssigneePicker />
              </Form.Item>
              <Form.Item name="reason" label={tt('f.reason')} rules={[{ required: true }]}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="text" label={tt(dialog === 'resolve' ? 'f.resolution' : dialog === 'respond' ? 'f.responsePlan' : 'f.text')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          )
        }
      </FormModal>
    </Space>
  );
}
