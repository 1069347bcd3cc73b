import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Checkbox, Form, Input, InputNumber, Select, Tag } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDateTime } from '../../app/format';
import { jsonFetch, LooseListPage, useRefreshList } from '../catalog/page-kit';
import { SearchPicker } from '../../app/pickers';
import { FormModal } from '../procurement/kit';
import { AssigneePicker } from './kit';
import { CATEGORIES, useTrackT, type Feedback } from './i18n';

const ENDPOINT = '/api/tracking/feedback';
const COLORS = { open: 'orange', replied: 'green', closed: 'default' } as const;

/** Customer feedback: search, filter by category/status/overdue, sort, export; reply (sent to the customer). */
export function FeedbackPage() {
  const tt = useTrackT();
  const { can } = useAuth();
  const refresh = useRefreshList(ENDPOINT);
  const [replying, setReplying] = useState<Feedback | null>(null);
  const [creating, setCreating] = useState(false);
  const [customerId, setCustomerId] = useState<string | undefined>();
  const contacts = useQuery({
    queryKey: ['feedback-contacts', customerId],
    enabled: Boolean(customerId),
    queryFn: () => jsonFetch<{ contacts: { id: string; name: string }[] }>(`/api/customers/${customerId}`),
  });
  const columns: ListColumn<Feedback>[] = [
    { title: tt('f.number'), dataIndex: 'number', sortField: 'number' },
    { title: tt('f.category'), dataIndex: 'category', sortField: 'category', render: (_, x) => tt(`cat.${x.category}`) },
    { title: tt('f.status'), dataIndex: 'status', sortField: 'status', render: (_, x) => <Tag color={COLORS[x.status]}>{tt(`fst.${x.status}`)}</Tag> },
    { title: tt('f.customer'), dataIndex: 'customerName', sortField: 'customerName' },
    { title: tt('f.rating'), dataIndex: 'rating', sortField: 'rating', render: (_, x) => x.rating ?? '—' },
    { title: tt('f.content'), dataIndex: 'content', ellipsis: true },
    { title: tt('f.owner'), dataIndex: 'ownerName', render: (_, x) => x.ownerName ?? '—' },
    {
      title: tt('f.replyDue'),
      dataIndex: 'replyDueAt',
      sortField: 'replyDueAt',
      render: (_, x) => <span style={x.replyOverdue ? { color: '#cf1322', fontWeight: 600 } : undefined}>{formatDateTime(x.replyDueAt)}</span>,
    },
    { title: tt('f.reply'), dataIndex: 'reply', ellipsis: true, render: (_, x) => x.reply ?? '—' },
    {
      title: '',
      key: 'act',
      render: (_, x) =>
        can('feedback:manage') && x.status === 'open' ? (
          <Button size="small" onClick={() => setReplying(x)}>
            {tt('reply')}
          </Button>
        ) : null,
    },
  ];
  return (
    <>
      <LooseListPage<Feedback>
        endpoint={ENDPOINT}
        title={tt('feedback')}
        rowKey="id"
        columns={columns}
        defaultSort="-createdAt"
        keyword={{ placeholder: tt('feedbackKeyword') }}
        toQuery={(v) => ({ ...v, overdue: v.overdue ? 'true' : undefined })}
        filters={
          <>
            <Form.Item name="category">
              <Select allowClear placeholder={tt('f.category')} style={{ width: 130 }} options={CATEGORIES.map((s) => ({ value: s, label: tt(`cat.${s}`) }))} />
            </Form.Item>
            <Form.Item name="status">
              <Select
                allowClear
                placeholder={tt('f.status')}
                style={{ width: 110 }}
                options={(['open', 'replied', 'closed'] as const).map((s) => ({ value: s, label: tt(`fst.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="overdue" valuePropName="checked">
              <Checkbox>{tt('overdueOnly')}</Checkbox>
            </Form.Item>
          </>
        }
        toolbar={
          can('feedback:manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="feedback-create">
              {tt('createFeedback')}
            </Button>
          )
        }
      />
      <FormModal<{ category: Feedback['category']; customerId: string; contactId?: string; rating?: number; content: string; ownerId: string }>
        open={creating}
        title={tt('createFeedback')}
        onClose={() => setCreating(false)}
        submit={async (v) => {
          await jsonFetch(ENDPOINT, { method: 'POST', body: v, idempotent: true });
          void refresh();
        }}
      >
        {(form) => (
          <>
            <Form.Item name="category" label={tt('f.category')} rules={[{ required: true }]}>
              <Select options={CATEGORIES.map((s) => ({ value: s, label: tt(`cat.${s}`) }))} />
            </Form.Item>
            <Form.Item name="customerId" label={tt('f.customer')} rules={[{ required: true }]}>
              <SearchPicker
                endpoint="/api/customers"
                toOption={(c) => ({ value: c.id, code: c.code, name: c.name })}
                onChange={(id) => {
                  form.setFieldsValue({ customerId: id, contactId: undefined });
                  setCustomerId(id);
                }}
              />
            </Form.Item>
            <Form.Item name="contactId" label={tt('f.contact')}>
              <Select allowClear options={(contacts.data?.contacts ?? []).map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
            <Form.Item name="rating" label={tt('f.rating')}>
              <InputNumber min={1} max={5} />
            </Form.Item>
            <Form.Item name="content" label={tt('f.content')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="ownerId" label={tt('f.owner')} rules={[{ required: true }]}>
              <AssigneePicker />
            </Form.Item>
          </>
        )}
      </FormModal>
      <FormModal<{ reply: string }>
        open={replying !== null}
        title={tt('reply')}
        onClose={() => setReplying(null)}
        submit={async (v) => {
          await jsonFetch(`${ENDPOINT}/${replying!.id}/reply`, { method: 'POST', body: v });
          void refresh();
        }}
      >
        {() => (
          <Form.Item name="reply" label={tt('f.reply')} rules={[{ required: true }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
        )}
      </FormModal>
    </>
  );
}
