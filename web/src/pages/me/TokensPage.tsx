import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Table, Tag, Typography, type TableColumnType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../app/feedback';
import { api, unwrap, unwrapVoid } from '../../app/api';
import type { ApiToken, ApiTokenCreated } from '../../app/api-models';
import { formatDateTime } from '../../app/format';
import { applyServerErrors, problemMessage, showError, toProblem } from '../../app/problem';

const TOKENS_QUERY_KEY = ['me', 'tokens'] as const;

type TokenStatus = 'active' | 'expired' | 'revoked';

function statusOf(token: ApiToken): TokenStatus {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && dayjs(token.expiresAt).isBefore(dayjs())) return 'expired';
  return 'active';
}

function StatusTag({ status }: { status: TokenStatus }) {
  const { t } = useTranslation();
  switch (status) {
    case 'active':
      return <Tag color="green">{t('tokens.statusActive')}</Tag>;
    case 'expired':
      return <Tag color="orange">{t('tokens.statusExpired')}</Tag>;
    case 'revoked':
      return <Tag>{t('tokens.statusRevoked')}</Tag>;
  }
}

type CreateValues = { name: string; expiresAt?: Dayjs | null };

function CreateTokenModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (token: ApiTokenCreated) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const [saving, setSaving] = useState(false);

  const submit = async ({ name, expiresAt }: CreateValues) => {
    setSaving(true);
    try {
      const created = await unwrap(
        api.POST('/api/me/tokens', {
          body: { name: name.trim(), ...(expiresAt ? { expiresAt: expiresAt.endOf('day').toISOString() } : {}) },
        }),
      );
      onCreated(created);
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={open} title={t('tokens.createTitle')} okText={t('tokens.create')} confirmLoading={saving} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Form<CreateValues> form={form} name="token" layout="vertical" preserve={false} onFinish={(values) => void submit(values)}>
        <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, whitespace: true, message: t('tokens.nameRequired') }]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('tokens.expiresAt')} extra={t('tokens.expiresAtHelp')}>
          <DatePicker style={{ width: '100%' }} disabledDate={(date) => date.isBefore(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function TokensPage() {
  const { t } = useTranslation();
  const message = useMessage();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);

  const tokens = useQuery({
    queryKey: TOKENS_QUERY_KEY,
    queryFn: async () => (await unwrap(api.GET('/api/me/tokens'))).items,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: TOKENS_QUERY_KEY });

  const revoke = useMutation({
    mutationFn: (token: ApiToken) => unwrapVoid(api.DELETE('/api/me/tokens/{id}', { params: { path: { id: token.id } } })),
    onSuccess: (_, token) => {
      void message.success(t('tokens.revoked', { name: token.name }));
      void refresh();
    },
    onError: showError,
  });

  const columns: TableColumnType<ApiToken>[] = [
    { title: t('tokens.name'), dataIndex: 'name' },
    { title: t('tokens.status'), key: 'status', render: (_, token) => <StatusTag status={statusOf(token)} /> },
    { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: (_, token) => formatDateTime(token.createdAt) },
    {
      title: t('tokens.expiresAt'),
      dataIndex: 'expiresAt',
      render: (_, token) => (token.expiresAt ? formatDateTime(token.expiresAt) : t('tokens.never')),
    },
    { title: t('tokens.lastUsedAt'), dataIndex: 'lastUsedAt', render: (_, token) => formatDateTime(token.lastUsedAt) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, token) =>
        token.revokedAt ? null : (
          <Popconfirm
            title={t('tokens.revokeConfirm', { name: token.name })}
            description={t('tokens.revokeConfirmDetail')}
            okButtonProps={{ danger: true }}
            onConfirm={() => revoke.mutateAsync(token).catch(() => undefined)}
          >
            <Button type="link" size="small" danger>
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Card
      size="small"
      title={t('tokens.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
          {t('tokens.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      {tokens.isError && <Alert type="error" showIcon title={problemMessage(toProblem(tokens.error))} style={{ marginBottom: 12 }} />}
      <Table<ApiToken> rowKey="id" size="middle" columns={columns} dataSource={tokens.data ?? []} loading={tokens.isPending} pagination={false} />
      <CreateTokenModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(token) => {
          setCreating(false);
          setCreated(token);
          void refresh();
        }}
      />
      <Modal
        open={created !== null}
        title={t('tokens.createdTitle', { name: created?.name ?? '' })}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('tokens.done')}
          </Button>
        }
        mask={{ closable: false }}
      >
        <Alert type="warning" showIcon title={t('tokens.showOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: created?.token }} code data-testid="token-value" style={{ wordBreak: 'break-all' }}>
          {created?.token}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
