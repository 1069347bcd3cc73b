import { Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../app/feedback';
import { api, unwrapVoid } from '../../app/api';
import type { User } from '../../app/api-models';
import { applyServerErrors } from '../../app/problem';

type Values = { password: string; confirm: string };

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const message = useMessage();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const submit = async ({ password }: Values) => {
    if (!user) return;
    setSaving(true);
    try {
      await unwrapVoid(api.POST('/api/admin/users/{id}/reset-password', { params: { path: { id: user.id } }, body: { password } }));
      void message.success(t('users.passwordReset', { name: user.displayName }));
      onClose();
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={user !== null}
      title={t('users.resetPasswordTitle', { name: user?.displayName ?? '' })}
      okText={t('users.resetPassword')}
      okButtonProps={{ danger: true }}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<Values> form={form} name="resetPassword" layout="vertical" preserve={false} onFinish={(values) => void submit(values)}>
        <Form.Item name="password" label={t('users.newPassword')} rules={[{ required: true, message: t('users.passwordRequired') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('users.confirmPassword')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('users.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('users.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
