import { SafetyOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Flex, Form, Input, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../app/api';
import type { AuditEntry } from '../../app/api-models';
import { ListPage, type ListColumn } from '../../app/components/ListPage';
import { formatDateTime } from '../../app/format';
import { showError } from '../../app/problem';
import { AuditDetailDrawer } from './AuditDetailDrawer';

const ENDPOINT = '/api/admin/audit';

type AuditFilterForm = {
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
};

export function AuditPage() {
  const { t } = useTranslation();
  const [selected, setSelected] = useState<AuditEntry | null>(null);

  const verify = useMutation({
    mutationFn: () => unwrap(api.POST('/api/admin/audit/verify')),
    onError: showError,
  });

  const columns: ListColumn<AuditEntry>[] = [
    { title: t('audit.seq'), dataIndex: 'seq', sortField: 'seq', width: 90 },
    { title: t('audit.at'), dataIndex: 'at', sortField: 'at', render: (_, entry) => formatDateTime(entry.at) },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      render: (_, entry) => entry.actorName ?? entry.actorId ?? t('audit.system'),
    },
    { title: t('audit.action'), dataIndex: 'action', sortField: 'action', render: (_, entry) => <Tag>{entry.action}</Tag> },
    { title: t('audit.entity'), dataIndex: 'entity', sortField: 'entity' },
    { title: t('audit.entityId'), dataIndex: 'entityId', render: (_, entry) => entry.entityId ?? '—' },
    { title: t('audit.ip'), dataIndex: 'ip', render: (_, entry) => entry.ip ?? '—' },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, entry) => (
        <Button type="link" size="small" onClick={() => setSelected(entry)}>
          {t('audit.detail')}
        </Button>
      ),
    },
  ];

  const result = verify.data;

  return (
    <Flex vertical gap="middle">
      {result && (
        <Alert
          data-testid="audit-verify-result"
          type={result.ok ? 'success' : 'error'}
          showIcon
          closable={{ onClose: () => verify.reset() }}
          title={result.ok ? t('audit.verifyOk', { count: result.checked }) : t('audit.verifyBroken', { seq: result.firstBadSeq ?? '—' })}
          description={result.ok ? undefined : t('audit.verifyBrokenDetail', { count: result.checked, reason: result.reason ?? '—' })}
        />
      )}
      <ListPage<typeof ENDPOINT, AuditFilterForm>
        endpoint={ENDPOINT}
        title={t('audit.title')}
        rowKey="id"
        columns={columns}
        defaultSort="-seq"
        keyword={false}
        toQuery={({ range, ...rest }) => ({
          ...rest,
          from: range?.[0]?.startOf('day').toISOString(),
          to: range?.[1]?.endOf('day').toISOString(),
        })}
        filters={
          <>
            <Form.Item name="actor">
              <Input allowClear placeholder={t('audit.actor')} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="action">
              <Input allowClear placeholder={t('audit.action')} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="entity">
              <Input allowClear placeholder={t('audit.entity')} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="entityId">
              <Input allowClear placeholder={t('audit.entityId')} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="range">
              <DatePicker.RangePicker allowEmpty={[true, true]} />
            </Form.Item>
          </>
        }
        toolbar={
          <Button icon={<SafetyOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        }
      />
      <AuditDetailDrawer entry={selected} onClose={() => setSelected(null)} />
    </Flex>
  );
}
