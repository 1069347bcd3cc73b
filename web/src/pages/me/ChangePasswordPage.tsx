import { LockOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrapVoid } from '../../app/api';
import { ME_QUERY_KEY, useAuth } from '../../app/auth';
import { LanguageSwitch } from '../../app/components/LanguageSwitch';
import { useMessage } from '../../app/feedback';
import { applyServerErrors } from '../../app/problem';

type Values = { currentPassword: string; newPassword: string; confirm: string };

function PasswordForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const message = useMessage();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const submit = async ({ currentPassword, newPassword }: Values) => {
    setSaving(true);
    try {
      await unwrapVoid(api.POST('/api/auth/password', { body: { currentPassword, newPassword } }));
      void message.success(t('password.changed'));
      form.resetFields();
      onDone();
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form<Values> form={form} name="change-password" layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} style={{ maxWidth: 380 }}>
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        extra={t('password.rule')}
        rules={[
          { required: true, message: t('password.newRequired') },
          { min: 8, message: t('password.rule') },
          { pattern: /(?=.*[A-Za-z])(?=.*\d)/, message: t('password.rule') },
        ]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('password.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
          }),
        ]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="password-submit">
        {t('password.submit')}
      </Button>
    </Form>
  );
}

/** 修改密码 inside the shell (user menu). */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('password.title')}>
      <Typography.Paragraph type="secondary">{t('password.intro')}</Typography.Paragraph>
      <PasswordForm onDone={() => undefined} />
    </Card>
  );
}

/**
 * Shown instead of the whole app while the user holds a one-time password (an admin created or reset the account):
 * the server answers nothing else until it is changed.
 */
export function ForcedPasswordChange() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { user, logout } = useAuth();
  const queryClient = useQueryClient();
  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', background: token.colorBgLayout }}>
      <div style={{ position: 'fixed', top: 16, right: 16 }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: 440, maxWidth: 'calc(100vw - 32px)' }} title={t('password.title')} data-testid="forced-password-change">
        <Alert type="warning" showIcon title={t('password.forced', { name: user?.displayName ?? '' })} style={{ marginBottom: 16 }} />
        <PasswordForm onDone={() => void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY })} />
        <Button type="link" style={{ paddingLeft: 0, marginTop: 8 }} onClick={() => void logout()}>
          {t('userMenu.logout')}
        </Button>
      </Card>
    </Flex>
  );
}
