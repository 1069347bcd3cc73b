import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Calendar, Card, Col, DatePicker, Flex, Popconfirm, Row, Table, Tag, Typography, theme, type TableColumnType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../app/feedback';
import { api, unwrap, unwrapVoid } from '../../app/api';
import type { CalendarDay } from '../../app/api-models';
import { problemMessage, showError, toProblem } from '../../app/problem';
import { CalendarOverrideModal } from './CalendarOverrideModal';

const DATE_FORMAT = 'YYYY-MM-DD';

export function calendarQueryKey(year: number) {
  return ['admin', 'calendar', year] as const;
}

function KindTag({ kind }: { kind: CalendarDay['kind'] }) {
  const { t } = useTranslation();
  return kind === 'holiday' ? <Tag color="red">{t('calendar.holiday')}</Tag> : <Tag color="blue">{t('calendar.workday')}</Tag>;
}

export function CalendarPage() {
  const { t } = useTranslation();
  const message = useMessage();
  const queryClient = useQueryClient();
  const { token } = theme.useToken();
  const [cursor, setCursor] = useState<Dayjs>(() => dayjs());
  const [editing, setEditing] = useState<{ date: Dayjs; day: CalendarDay | undefined } | null>(null);
  const year = cursor.year();
  const nextYear = dayjs().year() + 1;

  const calendar = useQuery({
    queryKey: calendarQueryKey(year),
    queryFn: () => unwrap(api.GET('/api/admin/calendar', { params: { query: { year } } })),
  });
  const days = useMemo(() => new Map((calendar.data?.items ?? []).map((day) => [day.date, day])), [calendar.data]);

  const removeOverride = useMutation({
    mutationFn: (date: string) => unwrapVoid(api.DELETE('/api/admin/calendar/overrides/{date}', { params: { path: { date } } })),
    onSuccess: (_, date) => {
      void message.success(t('calendar.overrideRemoved', { date }));
      void queryClient.invalidateQueries({ queryKey: ['admin', 'calendar'] });
    },
    onError: showError,
  });

  const openEditor = (date: Dayjs) => setEditing({ date, day: days.get(date.format(DATE_FORMAT)) });

  const columns: TableColumnType<CalendarDay>[] = [
    {
      title: t('calendar.date'),
      dataIndex: 'date',
      render: (_, day) => <span style={{ whiteSpace: 'nowrap' }}>{`${day.date} ${dayjs(day.date).format('ddd')}`}</span>,
    },
    { title: t('calendar.kind'), dataIndex: 'kind', render: (_, day) => <KindTag kind={day.kind} /> },
    { title: t('calendar.name'), dataIndex: 'name', render: (_, day) => day.name ?? '—' },
    {
      title: t('calendar.source'),
      dataIndex: 'source',
      render: (_, day) => (day.source === 'override' ? <Tag color="gold">{t('calendar.sourceOverride')}</Tag> : <Tag>{t('calendar.sourceSeed')}</Tag>),
    },
    { title: t('calendar.note'), dataIndex: 'note', render: (_, day) => day.note ?? '—' },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, day) => (
        <Flex gap="small">
          <Button type="link" size="small" onClick={() => openEditor(dayjs(day.date))}>
            {t('common.edit')}
          </Button>
          {day.source === 'override' && (
            <Popconfirm
              title={t('calendar.removeConfirm', { date: day.date })}
              description={t('calendar.removeConfirmDetail')}
              okButtonProps={{ danger: true }}
              onConfirm={() => removeOverride.mutateAsync(day.date).catch(() => undefined)}
            >
              <Button type="link" size="small" danger>
                {t('calendar.removeOverride')}
              </Button>
            </Popconfirm>
          )}
        </Flex>
      ),
    },
  ];

  const data = calendar.data;

  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="middle">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('calendar.title')}
        </Typography.Title>
        <Flex gap="small" align="center">
          <DatePicker picker="year" allowClear={false} value={cursor} onChange={(value) => value && setCursor(cursor.year(value.year()))} data-testid="calendar-year" />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ date: cursor, day: undefined })}>
            {t('calendar.addOverride')}
          </Button>
        </Flex>
      </Flex>
      {calendar.isError && <Alert type="error" showIcon title={problemMessage(toProblem(calendar.error))} />}
      {data && (
        <Alert
          data-testid="calendar-coverage"
          type={data.coveredTo < nextYear ? 'warning' : 'info'}
          showIcon
          title={t('calendar.coverage', { from: data.coveredFrom, to: data.coveredTo })}
          description={data.coveredTo < nextYear ? t('calendar.coverageWarning', { year: nextYear }) : undefined}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card size="small">
            <Calendar
              fullscreen={false}
              value={cursor}
              onPanelChange={(value) => setCursor(value)}
              onSelect={(value, { source }) => {
                setCursor(value);
                if (source === 'date') openEditor(value);
              }}
              fullCellRender={(value, info) => {
                if (info.type !== 'date') return info.originNode;
                const day = days.get(value.format(DATE_FORMAT));
                if (!day) return info.originNode;
                const holiday = day.kind === 'holiday';
                return (
                  <div style={{ position: 'relative' }} title={day.name ?? day.note ?? undefined}>
                    {info.originNode}
                    <span
                      style={{
                        position: 'absolute',
                        top: -6,
                        right: 0,
                        padding: '0 2px',
                        fontSize: 10,
                        lineHeight: '13px',
                        borderRadius: 3,
                        color: token.colorWhite,
                        background: holiday ? token.colorError : token.colorInfo,
                      }}
                    >
                      {holiday ? t('calendar.holidayShort') : t('calendar.workdayShort')}
                    </span>
                  </div>
                );
              }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('calendar.listTitle', { year })}>
            <Table<CalendarDay> rowKey="date" size="small" columns={columns} dataSource={data?.items ?? []} loading={calendar.isFetching} pagination={false} scroll={{ y: 520 }} />
          </Card>
        </Col>
      </Row>
      <CalendarOverrideModal
        open={editing !== null}
        date={editing?.date ?? cursor}
        current={editing?.day}
        onClose={() => setEditing(null)}
        onSaved={(day) => {
          setEditing(null);
          setCursor(dayjs(day.date));
          void queryClient.invalidateQueries({ queryKey: ['admin', 'calendar'] });
        }}
      />
    </Flex>
  );
}
