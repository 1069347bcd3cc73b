import { DisconnectOutlined } from '@ant-design/icons';
import { Button, Flex, theme } from 'antd';
import { useTranslation } from 'react-i18next';

/** Shown instead of the login page when the session check itself failed. */
export function ServerUnavailable() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Flex vertical align="center" justify="center" gap="middle" style={{ minHeight: '100vh' }} data-testid="server-unavailable">
      <DisconnectOutlined style={{ fontSize: 48, color: token.colorTextTertiary }} />
      <span style={{ color: token.colorTextSecondary }}>{t('errors.network')}</span>
      <Button type="primary" onClick={() => window.location.reload()}>
        {t('common.reload')}
      </Button>
    </Flex>
  );
}
