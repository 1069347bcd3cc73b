import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Table, Tag, Typography, type TableColumnType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../app/api';
import type { ResponseOf } from '../../app/api-models';
import { formatDateTime } from '../../app/format';
import { problemMessage, toProblem } from '../../app/problem';

type JobStatus = ResponseOf<'/api/admin/jobs', 'get'>['items'][number];

const RESULT_COLORS = { running: 'processing', ok: 'success', failed: 'error' } as const;

/** Background jobs: each job's last run (start, finish, duration, result, instance) and its next period. */
export function JobsPage() {
  const { t } = useTranslation();
  const jobs = useQuery({
    queryKey: ['admin', 'jobs'],
    queryFn: async () => (await unwrap(api.GET('/api/admin/jobs'))).items,
    refetchInterval: 10_000,
  });

  const every = (ms: number) =>
    ms % 3_600_000 === 0 ? t('jobsPage.hours', { n: ms / 3_600_000 }) : ms % 60_000 === 0 ? t('jobsPage.minutes', { n: ms / 60_000 }) : t('jobsPage.seconds', { n: ms / 1000 });
  const resultLabel = { running: t('jobsPage.resultRunning'), ok: t('jobsPage.resultOk'), failed: t('jobsPage.resultFailed') };

  const columns: TableColumnType<JobStatus>[] = [
    {
      title: t('jobsPage.name'),
      dataIndex: 'label',
      width: 250,
      render: (_, job) => (
        <>
          <div>{job.label}</div>
          <Typography.Text type="secondary" code>
            {job.name}
          </Typography.Text>
        </>
      ),
    },
    { title: t('jobsPage.every'), dataIndex: 'everyMs', width: 80, render: (_, job) => every(job.everyMs) },
    { title: t('jobsPage.lastStart'), dataIndex: 'startedAt', width: 160, render: (_, job) => (job.startedAt ? formatDateTime(job.startedAt) : t('jobsPage.never')) },
    { title: t('jobsPage.lastFinish'), dataIndex: 'finishedAt', width: 160, render: (_, job) => formatDateTime(job.finishedAt) },
    { title: t('jobsPage.duration'), dataIndex: 'durationMs', width: 80, align: 'right', render: (_, job) => (job.durationMs === null ? '—' : `${job.durationMs} ms`) },
    {
      title: t('jobsPage.result'),
      dataIndex: 'result',
      width: 80,
      render: (_, job) => (job.result ? <Tag color={RESULT_COLORS[job.result]}>{resultLabel[job.result]}</Tag> : '—'),
    },
    { title: t('jobsPage.instance'), dataIndex: 'instance', width: 140, render: (_, job) => job.instance ?? '—' },
    { title: t('jobsPage.nextRun'), dataIndex: 'nextRunAt', width: 160, render: (_, job) => formatDateTime(job.nextRunAt) },
    {
      title: t('jobsPage.error'),
      dataIndex: 'error',
      ellipsis: true,
      render: (_, job) => (job.error ? <Typography.Text type="danger">{job.error === 'interrupted' ? t('jobsPage.interrupted') : job.error}</Typography.Text> : null),
    },
  ];

  return (
    <Card size="small" title={t('jobsPage.title')}>
      <Typography.Paragraph type="secondary">{t('jobsPage.hint')}</Typography.Paragraph>
      {jobs.isError && <Alert type="error" showIcon title={problemMessage(toProblem(jobs.error))} style={{ marginBottom: 12 }} />}
      <Table<JobStatus> rowKey="name" size="middle" columns={columns} dataSource={jobs.data ?? []} loading={jobs.isPending} pagination={false} scroll={{ x: 1400 }} />
    </Card>
  );
}
