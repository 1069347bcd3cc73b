import { KeyOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, Flex, theme, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { showError } from '../problem';

export function UserMenu() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  if (!user) return null;

  const items: MenuProps['items'] = [
    {
      key: 'profile',
      disabled: true,
      label: (
        <Flex vertical>
          <span style={{ color: token.colorText, fontWeight: 600 }}>{user.displayName}</span>
          <span style={{ color: token.colorTextSecondary }}>{user.username}</span>
        </Flex>
      ),
    },
    { type: 'divider' },
    { key: 'password', icon: <LockOutlined />, label: <span data-testid="user-menu-password">{t('userMenu.changePassword')}</span> },
    { key: 'tokens', icon: <KeyOutlined />, label: t('userMenu.apiTokens') },
    { key: 'logout', icon: <LogoutOutlined />, label: t('userMenu.logout') },
  ];

  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') void navigate('/me/password');
    if (key === 'tokens') void navigate('/me/tokens');
    // <RequireAuth> takes the user to /login once the session is gone
    if (key === 'logout') logout().catch(showError);
  };

  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" data-testid="user-menu" icon={<Avatar size="small" icon={<UserOutlined />} />}>
        {user.displayName}
      </Button>
    </Dropdown>
  );
}
