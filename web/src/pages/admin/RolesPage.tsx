import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Table, Tag, Tooltip, type TableColumnType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../app/api';
import type { Role } from '../../app/api-models';
import { problemMessage, toProblem } from '../../app/problem';
import { useRoles } from './admin-queries';

export function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const permissions = useQuery({
    queryKey: ['admin', 'permissions'],
    queryFn: async () => (await unwrap(api.GET('/api/admin/permissions'))).items,
    staleTime: 5 * 60_000,
  });
  const permissionNames = useMemo(() => new Map((permissions.data ?? []).map((permission) => [permission.code, permission.name])), [permissions.data]);

  const columns: TableColumnType<Role>[] = [
    { title: t('rolesPage.code'), dataIndex: 'code', width: 140, render: (_, role) => <code>{role.code}</code> },
    { title: t('rolesPage.name'), dataIndex: 'name', width: 180 },
    {
      title: t('rolesPage.permissions'),
      dataIndex: 'permissions',
      render: (_, role) => (
        <Flex wrap gap={4}>
          {role.permissions.map((code) => (
            <Tooltip key={code} title={permissionNames.get(code)}>
              <Tag>{code}</Tag>
            </Tooltip>
          ))}
        </Flex>
      ),
    },
  ];

  return (
    <Card size="small" title={t('rolesPage.title')}>
      {roles.isError && <Alert type="error" showIcon title={problemMessage(toProblem(roles.error))} style={{ marginBottom: 12 }} />}
      <Table<Role> rowKey="code" size="middle" columns={columns} dataSource={roles.data ?? []} loading={roles.isPending} pagination={false} />
    </Card>
  );
}
