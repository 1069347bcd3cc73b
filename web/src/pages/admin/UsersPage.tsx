import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Popconfirm, Select, Space, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../app/feedback';
import { api, unwrap } from '../../app/api';
import type { ListFilters, User, UserCreate } from '../../app/api-models';
import { useAuth } from '../../app/auth';
import { ListPage, listQueryKey, type ListColumn } from '../../app/components/ListPage';
import { formatDateTime } from '../../app/format';
import { roleLabel } from '../../app/labels';
import { PERMISSIONS } from '../../app/permissions';
import { showError } from '../../app/problem';
import { useRoles } from './admin-queries';
import { ResetPasswordModal } from './ResetPasswordModal';
import { UserFormDrawer } from './UserFormDrawer';

const ENDPOINT = '/api/admin/users';

type UserFilterForm = Pick<ListFilters<typeof ENDPOINT>, 'role' | 'disabled'>;
type RoleCode = UserCreate['roles'][number];

type DrawerState = { mode: 'closed' } | { mode: 'create' } | { mode: 'edit'; user: User };

export function UsersPage() {
  const { t } = useTranslation();
  const message = useMessage();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const roles = useRoles();
  const [drawer, setDrawer] = useState<DrawerState>({ mode: 'closed' });
  const [resetting, setResetting] = useState<User | null>(null);
  const canManage = can(PERMISSIONS.usersManage);

  const roleNames = useMemo(() => new Map((roles.data ?? []).map((role) => [role.code, role.name])), [roles.data]);
  const nameOfRole = (code: string) => roleNames.get(code) ?? roleLabel(t, code);
  const refresh = () => queryClient.invalidateQueries({ queryKey: listQueryKey(ENDPOINT) });

  const setDisabled = useMutation({
    mutationFn: ({ user, disabled }: { user: User; disabled: boolean }) =>
      unwrap(
        disabled
          ? api.POST('/api/admin/users/{id}/disable', { params: { path: { id: user.id } } })
          : api.POST('/api/admin/users/{id}/enable', { params: { path: { id: user.id } } }),
      ),
    onSuccess: (user) => {
      void message.success(t(user.disabled ? 'users.disabledDone' : 'users.enabledDone', { name: user.displayName }));
      void refresh();
    },
    onError: showError,
  });

  const columns: ListColumn<User>[] = [
    { title: t('users.username'), dataIndex: 'username', sortField: 'username' },
    { title: t('users.displayName'), dataIndex: 'displayName', sortField: 'displayName' },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      render: (_, user) => (
        <Space size={[0, 4]} wrap>
          {user.roles.map((code) => (
            <Tag key={code}>{nameOfRole(code)}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('users.phone'), dataIndex: 'phone', render: (_, user) => user.phone ?? '—' },
    { title: t('users.email'), dataIndex: 'email', render: (_, user) => user.email ?? '—' },
    {
      title: t('users.locale'),
      dataIndex: 'locale',
      render: (_, user) => (user.locale === 'en-US' ? t('language.enUS') : t('language.zhCN')),
    },
    {
      title: t('users.status'),
      dataIndex: 'disabled',
      render: (_, user) => (user.disabled ? <Tag color="default">{t('users.statusDisabled')}</Tag> : <Tag color="green">{t('users.statusActive')}</Tag>),
    },
    {
      title: t('users.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      sortField: 'lastLoginAt',
      render: (_, user) => formatDateTime(user.lastLoginAt),
    },
    {
      title: t('users.createdAt'),
      dataIndex: 'createdAt',
      sortField: 'createdAt',
      render: (_, user) => formatDateTime(user.createdAt),
    },
  ];

  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, user) => (
        <Space size="small">
          <Button type="link" size="small" onClick={() => setDrawer({ mode: 'edit', user })}>
            {t('common.edit')}
          </Button>
          {user.disabled ? (
            <Button type="link" size="small" onClick={() => setDisabled.mutate({ user, disabled: false })}>
              {t('users.enable')}
            </Button>
          ) : (
            <Popconfirm
              title={t('users.disableConfirm', { name: user.displayName })}
              description={t('users.disableConfirmDetail')}
              okButtonProps={{ danger: true }}
              onConfirm={() => setDisabled.mutateAsync({ user, disabled: true }).catch(() => undefined)}
            >
              <Button type="link" size="small" danger>
                {t('users.disable')}
              </Button>
            </Popconfirm>
          )}
          <Button type="link" size="small" onClick={() => setResetting(user)}>
            {t('users.resetPassword')}
          </Button>
        </Space>
      ),
    });
  }

  // role codes come from the server's own role table
  const roleOptions = (roles.data ?? []).map((role) => ({ value: role.code as RoleCode, label: role.name }));

  return (
    <>
      <ListPage<typeof ENDPOINT, UserFilterForm>
        endpoint={ENDPOINT}
        title={t('users.title')}
        rowKey="id"
        columns={columns}
        defaultSort="-createdAt"
        keyword={{ placeholder: t('users.keywordPlaceholder') }}
        filters={
          <>
            <Form.Item name="role">
              <Select allowClear placeholder={t('users.filterRole')} options={roleOptions} style={{ width: 180 }} loading={roles.isPending} />
            </Form.Item>
            <Form.Item name="disabled">
              <Select
                allowClear
                placeholder={t('users.filterStatus')}
                style={{ width: 140 }}
                options={[
                  { value: 'false', label: t('users.statusActive') },
                  { value: 'true', label: t('users.statusDisabled') },
                ]}
              />
            </Form.Item>
          </>
        }
        toolbar={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ mode: 'create' })} data-testid="user-create">
              {t('users.create')}
            </Button>
          )
        }
      />
      <UserFormDrawer
        open={drawer.mode !== 'closed'}
        user={drawer.mode === 'edit' ? drawer.user : null}
        roleOptions={roleOptions}
        onClose={() => setDrawer({ mode: 'closed' })}
        onSaved={() => {
          setDrawer({ mode: 'closed' });
          void refresh();
        }}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
