import { Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../app/feedback';
import { api, unwrap } from '../../app/api';
import type { Locale, User, UserCreate, UserUpdate } from '../../app/api-models';
import { DEFAULT_LANGUAGE, isLanguage } from '../../app/i18n';
import { applyServerErrors } from '../../app/problem';

type RoleCode = UserCreate['roles'][number];

type UserFormValues = {
  username: string;
  displayName: string;
  password: string;
  roles: RoleCode[];
  phone?: string;
  email?: string;
  locale: Locale;
};

type Props = {
  open: boolean;
  /** null creates a new user. */
  user: User | null;
  /** From GET /api/admin/roles, so every value is a role code the server knows. */
  roleOptions: { value: RoleCode; label: string }[];
  onClose: () => void;
  onSaved: (user: User) => void;
};

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

/** Only what changed is sent, so a masked phone number is never written back. */
function changes(user: User, values: UserFormValues): UserUpdate {
  const update: UserUpdate = {};
  if (values.displayName.trim() !== user.displayName) update.displayName = values.displayName.trim();
  if (!sameRoles(values.roles, user.roles)) update.roles = values.roles;
  if (blankToNull(values.phone) !== user.phone) update.phone = blankToNull(values.phone);
  if (blankToNull(values.email) !== user.email) update.email = blankToNull(values.email);
  if (values.locale !== user.locale) update.locale = values.locale;
  return update;
}

function toCreate(values: UserFormValues): UserCreate {
  const phone = blankToNull(values.phone);
  const email = blankToNull(values.email);
  return {
    username: values.username.trim(),
    displayName: values.displayName.trim(),
    password: values.password,
    roles: values.roles,
    locale: values.locale,
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
  };
}

export function UserFormDrawer({ open, user, roleOptions, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const message = useMessage();
  const [form] = Form.useForm<UserFormValues>();
  const [saving, setSaving] = useState(false);
  const editing = user !== null;

  const initialValues: Partial<UserFormValues> = user
    ? {
        username: user.username,
        displayName: user.displayName,
        // the server only ever stores known role codes
        roles: user.roles as RoleCode[],
        phone: user.phone ?? undefined,
        email: user.email ?? undefined,
        locale: isLanguage(user.locale) ? user.locale : DEFAULT_LANGUAGE,
      }
    : { roles: [], locale: 'zh-CN' };

  const save = async (values: UserFormValues) => {
    setSaving(true);
    try {
      const saved = user
        ? await unwrap(api.PATCH('/api/admin/users/{id}', { params: { path: { id: user.id } }, body: changes(user, values) }))
        : await unwrap(api.POST('/api/admin/users', { body: toCreate(values) }));
      void message.success(t(user ? 'users.updated' : 'users.created', { name: saved.displayName }));
      onSaved(saved);
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={480}
      destroyOnHidden
      title={editing ? t('users.editTitle', { name: user.displayName }) : t('users.createTitle')}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="user-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<UserFormValues> form={form} name="user" layout="vertical" preserve={false} initialValues={initialValues} onFinish={(values) => void save(values)}>
        <Form.Item name="username" label={t('users.username')} rules={[{ required: !editing, whitespace: true, message: t('users.usernameRequired') }]}>
          <Input disabled={editing} autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }]}>
          <Input />
        </Form.Item>
        {!editing && (
          <Form.Item name="password" label={t('users.password')} rules={[{ required: true, message: t('users.passwordRequired') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true, type: 'array', min: 1, message: t('users.rolesRequired') }]}>
          <Select mode="multiple" options={roleOptions} optionFilterProp="label" allowClear />
        </Form.Item>
        <Form.Item name="phone" label={t('users.phone')}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="email" label={t('users.email')} rules={[{ type: 'email', message: t('users.emailInvalid') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="locale" label={t('users.locale')}>
          <Select
            options={[
              { value: 'zh-CN', label: t('language.zhCN') },
              { value: 'en-US', label: t('language.enUS') },
            ]}
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
