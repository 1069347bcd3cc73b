import { Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { roleLabel } from '../../app/labels';

export function DashboardPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  if (!user) return null;

  return (
    <Card data-testid="page-dashboard">
      <Typography.Title level={3}>{t('dashboard.welcome', { name: user.displayName })}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('dashboard.intro')}</Typography.Paragraph>
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'username', label: t('dashboard.username'), children: user.username },
          {
            key: 'roles',
            label: t('dashboard.roles'),
            children: (
              <Flex wrap gap={4} data-testid="dashboard-roles">
                {user.roles.length === 0
                  ? t('dashboard.noRoles')
                  : user.roles.map((role) => (
                      <Tag key={role} color="green">
                        {roleLabel(t, role)}
                      </Tag>
                    ))}
              </Flex>
            ),
          },
        ]}
      />
    </Card>
  );
}
