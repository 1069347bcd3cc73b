import { UndoOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Form, Input, InputNumber, Select, Spin, Switch, Typography, theme } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../app/feedback';
import { api, unwrap } from '../../app/api';
import type { Setting, SettingValue } from '../../app/api-models';
import { useAuth } from '../../app/auth';
import { formatDateTime } from '../../app/format';
import { moduleLabel } from '../../app/labels';
import { PERMISSIONS } from '../../app/permissions';
import { applyServerErrors, problemMessage, toProblem } from '../../app/problem';

const SETTINGS_QUERY_KEY = ['admin', 'settings'] as const;

function formatValue(t: TFunction, setting: Setting, value: SettingValue): string {
  const text = typeof value === 'boolean' ? t(value ? 'common.yes' : 'common.no') : String(value);
  return setting.unit ? `${text} ${setting.unit}` : text;
}

/** Returned as an element (not a component) so Form.Item can inject value/onChange into the input itself. */
function valueInput(setting: Setting, disabled: boolean) {
  const suffix = setting.unit ?? undefined;
  switch (setting.type) {
    case 'integer':
      return <InputNumber precision={0} disabled={disabled} suffix={suffix} style={{ width: 200 }} />;
    case 'number':
      return <InputNumber disabled={disabled} suffix={suffix} style={{ width: 200 }} />;
    case 'boolean':
      return <Switch disabled={disabled} />;
    case 'enum':
      return <Select disabled={disabled} style={{ width: 200 }} options={(setting.options ?? []).map((option) => ({ value: option, label: option }))} />;
    case 'string':
      return <Input disabled={disabled} suffix={suffix} style={{ width: 320 }} />;
  }
}

/** One setting with its own form, so a server error lands on this row's input. */
function SettingRow({ setting, editable }: { setting: Setting; editable: boolean }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const message = useMessage();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ value: SettingValue }>();
  const current = Form.useWatch('value', form);
  const [saving, setSaving] = useState(false);
  const dirty = current !== undefined && current !== setting.value;

  const save = async ({ value }: { value: SettingValue }) => {
    setSaving(true);
    try {
      const saved = await unwrap(api.PUT('/api/admin/settings/{key}', { params: { path: { key: setting.key } }, body: { value } }));
      queryClient.setQueryData<Setting[]>(SETTINGS_QUERY_KEY, (items) => items?.map((item) => (item.key === saved.key ? saved : item)));
      form.setFieldsValue({ value: saved.value });
      void message.success(t('settings.saved', { label: saved.label }));
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Flex gap="large" wrap justify="space-between" style={{ padding: '12px 0', borderBottom: `1px solid ${token.colorBorderSecondary}` }} data-testid={`setting-${setting.key}`}>
      <Flex vertical gap={2} style={{ flex: '1 1 320px', minWidth: 0 }}>
        <Typography.Text strong>
          {setting.label}{' '}
          <Typography.Text type="secondary" code>
            {setting.key}
          </Typography.Text>
        </Typography.Text>
        <Typography.Text type="secondary">{setting.description}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('settings.defaultValue', { value: formatValue(t, setting, setting.defaultValue) })}
          {setting.updatedAt && ` · ${t('settings.updatedBy', { at: formatDateTime(setting.updatedAt), by: setting.updatedBy ?? '—' })}`}
        </Typography.Text>
      </Flex>
      <Form form={form} layout="inline" initialValues={{ value: setting.value }} onFinish={(values) => void save(values)} style={{ alignItems: 'flex-start' }}>
        <Form.Item
          name="value"
          valuePropName={setting.type === 'boolean' ? 'checked' : 'value'}
          rules={setting.type === 'boolean' || setting.type === 'string' ? [] : [{ required: true, message: t('settings.valueRequired') }]}
        >
          {valueInput(setting, !editable)}
        </Form.Item>
        {editable && (
          <Form.Item>
            <Flex gap="small">
              <Button
                icon={<UndoOutlined />}
                title={t('settings.useDefault')}
                aria-label={t('settings.useDefault')}
                disabled={current === setting.defaultValue}
                onClick={() => form.setFieldsValue({ value: setting.defaultValue })}
              />
              <Button type="primary" htmlType="submit" disabled={!dirty} loading={saving}>
                {t('common.save')}
              </Button>
            </Flex>
          </Form.Item>
        )}
      </Form>
    </Flex>
  );
}

function groupByModule(items: Setting[]): [string, Setting[]][] {
  const groups = new Map<string, Setting[]>();
  for (const item of items) groups.set(item.module, [...(groups.get(item.module) ?? []), item]);
  return [...groups.entries()];
}

export function SettingsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const settings = useQuery({
    queryKey: SETTINGS_QUERY_KEY,
    queryFn: async () => (await unwrap(api.GET('/api/admin/settings'))).items,
  });
  const editable = can(PERMISSIONS.settingsManage);

  if (settings.isPending) return <Spin />;
  if (settings.isError) return <Alert type="error" showIcon title={problemMessage(toProblem(settings.error))} />;
  if (settings.data.length === 0) return <Empty />;

  return (
    <Flex vertical gap="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('settings.title')}
      </Typography.Title>
      {!editable && <Alert type="info" showIcon title={t('settings.readOnly')} />}
      {groupByModule(settings.data).map(([module, items]) => (
        <Card key={module} size="small" title={moduleLabel(t, module)}>
          {items.map((setting) => (
            <SettingRow key={`${setting.key}:${setting.updatedAt ?? ''}`} setting={setting} editable={editable} />
          ))}
        </Card>
      ))}
    </Flex>
  );
}
