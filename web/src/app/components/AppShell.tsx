import { Flex, Layout, theme } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { LanguageSwitch } from './LanguageSwitch';
import { MainMenu } from './MainMenu';
import { NotificationBell } from './NotificationBell';
import { PageLoading } from './PageLoading';
import { UserMenu } from './UserMenu';

export function AppShell() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} breakpoint="lg" width={220}>
        <Flex align="center" justify="center" style={{ height: 56 }}>
          <span style={{ color: token.colorWhite, fontWeight: 600, fontSize: collapsed ? 14 : 18 }}>{t('app.brand')}</span>
        </Flex>
        <MainMenu />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            padding: '0 16px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 16,
          }}
        >
          <h1
            style={{
              margin: 0,
              fontSize: token.fontSizeHeading5,
              fontWeight: 600,
              whiteSpace: 'nowrap',
              overflow: 'hidden',
              textOverflow: 'ellipsis',
            }}
          >
            {t('app.name')}
          </h1>
          <Flex align="center" gap="middle">
            <LanguageSwitch />
            <NotificationBell />
            <UserMenu />
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 16 }}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
