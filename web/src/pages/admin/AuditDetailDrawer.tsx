import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Descriptions, Drawer, Flex, Row, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../app/api';
import type { AuditEntry } from '../../app/api-models';
import { formatDateTime } from '../../app/format';
import { problemMessage, toProblem } from '../../app/problem';

type Snapshot = AuditEntry['before'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Top-level keys whose values differ between the two snapshots. */
function changedKeys(before: Snapshot, after: Snapshot): string[] {
  const left = isRecord(before) ? before : {};
  const right = isRecord(after) ? after : {};
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].filter((key) => JSON.stringify(left[key]) !== JSON.stringify(right[key])).sort();
}

function JsonBlock({ title, value, testId }: { title: string; value: Snapshot; testId: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Card size="small" title={title} style={{ height: '100%' }}>
      {value === null || value === undefined ? (
        <Typography.Text type="secondary">{t('audit.noSnapshot')}</Typography.Text>
      ) : (
        <pre
          data-testid={testId}
          style={{
            margin: 0,
            fontSize: 12,
            whiteSpace: 'pre-wrap',
            wordBreak: 'break-all',
            background: token.colorFillQuaternary,
            padding: 8,
            borderRadius: token.borderRadius,
          }}
        >
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </Card>
  );
}

export function AuditDetailDrawer({ entry, onClose }: { entry: AuditEntry | null; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ['admin', 'audit', entry?.id],
    queryFn: () => unwrap(api.GET('/api/admin/audit/{id}', { params: { path: { id: entry?.id ?? '' } } })),
    enabled: entry !== null,
    placeholderData: entry ?? undefined,
  });
  const shown = detail.data ?? entry;
  const changed = shown ? changedKeys(shown.before, shown.after) : [];

  return (
    <Drawer open={entry !== null} onClose={onClose} size={960} destroyOnHidden title={shown ? t('audit.detailTitle', { seq: shown.seq }) : ''}>
      {detail.isError && <Alert type="error" showIcon title={problemMessage(toProblem(detail.error))} style={{ marginBottom: 12 }} />}
      {shown && (
        <Flex vertical gap="middle">
          <Descriptions
            size="small"
            bordered
            column={2}
            items={[
              { key: 'seq', label: t('audit.seq'), children: shown.seq },
              { key: 'at', label: t('audit.at'), children: formatDateTime(shown.at) },
              { key: 'actor', label: t('audit.actor'), children: shown.actorName ?? shown.actorId ?? t('audit.system') },
              { key: 'ip', label: t('audit.ip'), children: shown.ip ?? '—' },
              { key: 'action', label: t('audit.action'), children: <Tag>{shown.action}</Tag> },
              { key: 'entity', label: t('audit.entity'), children: `${shown.entity} ${shown.entityId ?? ''}` },
              {
                key: 'hash',
                label: t('audit.hash'),
                span: 2,
                children: shown.hash ? (
                  <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                    {shown.hash}
                  </Typography.Text>
                ) : (
                  '—'
                ),
              },
            ]}
          />
          <Flex wrap gap={4} align="center">
            <Typography.Text type="secondary">{t('audit.changedFields')}</Typography.Text>
            {changed.length === 0
              ? '—'
              : changed.map((key) => (
                  <Tag color="orange" key={key}>
                    {key}
                  </Tag>
                ))}
          </Flex>
          <Row gutter={12}>
            <Col span={12}>
              <JsonBlock title={t('audit.before')} value={shown.before} testId="audit-before" />
            </Col>
            <Col span={12}>
              <JsonBlock title={t('audit.after')} value={shown.after} testId="audit-after" />
            </Col>
          </Row>
        </Flex>
      )}
    </Drawer>
  );
}
