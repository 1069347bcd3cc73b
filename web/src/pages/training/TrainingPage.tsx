import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Select, Space, Switch, Table, Tabs, Tag, Typography, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { downloadFile } from '../../app/api';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDate, formatDateTime } from '../../app/format';
import { LooseListPage, uploadFile, type Page } from '../../app/loose-api';
import { showError } from '../../app/problem';
import { useTrainingT } from './i18n';
import { ActionButton, FormModal, GATED, hours, RESULT_COLORS, StaffSelect, TopicSelect, TOPICS, useGet, useRefreshTraining, type Result, type Staff, type Topic } from './kit';

type Plan = {
  id: string;
  code: string;
  year: number;
  title: string;
  role: string | null;
  department: string | null;
  topics: Topic[];
  status: 'draft' | 'active' | 'closed';
  courseCount: number;
  totalMinutes: number;
  nextTargetDate: string | null;
};
type PlanDetail = Plan & { courses: { id: string; topic: Topic; title: string; minutes: number; targetDate: string }[] };
type Performer = { rank: number; userId: string; displayName: string; department: string | null; attended: number; invited: number; minutes: number; bestScore: number | null };
type Session = {
  id: string;
  code: string;
  planCode: string;
  title: string;
  kind: string;
  topic: Topic;
  startsAt: string;
  endsAt: string;
  place: string | null;
  link: string | null;
  trainerName: string | null;
  minutes: number;
  status: 'scheduled' | 'completed' | 'cancelled';
  invited: number;
  attended: number;
};
type SessionDetail = Session & {
  parts: { kind: string; title: string; notes: string | null }[];
  attendance: { userId: string; displayName: string; checkedInAt: string | null; method: 'trainer' | 'qr' | null; minutesCredited: number | null }[];
  files: { id: string; filename: string; size: number }[];
};
type Question = {
  id: string;
  topic: Topic;
  kind: 'single' | 'multiple' | 'true_false' | 'short';
  text: string;
  options: string[];
  answer: number[] | boolean | null;
  points: number;
  active: boolean;
};
type Exam = {
  id: string;
  code: string;
  title: string;
  topic: Topic;
  questionCount: number;
  maxPoints: number;
  passMark: number;
  excellentMark: number;
  timeLimitMinutes: number;
  attemptLimit: number;
  remedy: 'retest' | 'remedial';
  certificateTypeName: string | null;
  passRate: number | null;
  active: boolean;
};
type Attempt = {
  id: string;
  examTitle: string;
  userName: string;
  attemptNo: number;
  isRetest: boolean;
  startedAt: string;
  scorePercent: number | null;
  result: Result | null;
  status: 'in_progress' | 'marking' | 'graded';
};
type AttemptDetail = Attempt & { questions: { id: string; kind: string; text: string; points: number }[]; answers: Record<string, unknown>; userName: string };
type Remedial = {
  id: string;
  userName: string;
  examTitle: string | null;
  topic: Topic;
  kind: 'retest' | 'remedial';
  dueOn: string;
  status: string;
  overdue: boolean;
  trainingDoneAt: string | null;
};
type Assessment = {
  id: string;
  kind: 'practical' | 'performance';
  userName: string;
  topic: Topic;
  assessorName: string | null;
  period: string | null;
  scorePercent: number;
  result: Result;
  createdAt: string;
};
type Certificate = {
  id: string;
  code: string;
  typeName: string;
  typeNameEn: string;
  holderName: string;
  issuedOn: string;
  expiresOn: string;
  status: string;
  valid: boolean;
  expiringSoon: boolean;
  daysLeft: number;
};
type CertType = { id: string; code: string; name: string; nameEn: string; validityDays: number; gatedPermissions: string[]; active: boolean; holders: number };
type ReportRow = {
  group: string;
  invited: number;
  attended: number;
  completionRate: number | null;
  minutes: number;
  graded: number;
  passed: number;
  passRate: number | null;
  excellent: number;
};

const iso = (d: Dayjs | undefined | null): string | undefined => d?.toISOString();
const day = (d: Dayjs | undefined | null): string | undefined => d?.format('YYYY-MM-DD');
const ROLES = ['manager', 'sales', 'reviewer', 'planner', 'production', 'qc', 'warehouse', 'logistics', 'aftersales', 'trainer'];
const useEn = () => useTranslation().i18n.language === 'en-US';

function ResultTag({ result }: { result: Result | null }) {
  const t = useTrainingT();
  return result ? <Tag color={RESULT_COLORS[result]}>{t(`result.${result}`)}</Tag> : <>—</>;
}

// ---------------------------------------------------------------- plans

function PlanDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useTrainingT();
  const plan = useGet<PlanDetail>(`/api/training/plans/${id}`);
  const top = useGet<{ items: Performer[] }>(`/api/training/plans/${id}/top-performers?limit=10`);
  const p = plan.data;
  return (
    <Drawer open width={760} title={p ? `${p.code} ${p.title}` : ''} onClose={onClose} data-testid="plan-drawer">
      {p && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('f.year')}>{p.year}</Descriptions.Item>
            <Descriptions.Item label={t('f.status')}>{t(`status.${p.status}`)}</Descriptions.Item>
            <Descriptions.Item label={t('f.role')}>{p.role ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('f.department')}>{p.department ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('f.topics')} span={2}>
              {p.topics.map((x) => (
                <Tag key={x}>{t(`topic.${x}`)}</Tag>
              ))}
            </Descriptions.Item>
          </Descriptions>
          <Space>
            {p.status === 'draft' && (
              <ActionButton testId="plan-activate" url={`/api/training/plans/${id}/activate`} type="primary">
                {t('action.activate')}
              </ActionButton>
            )}
            {p.status !== 'closed' && (
              <ActionButton url={`/api/training/plans/${id}/close`} confirm={t('action.close')}>
                {t('action.close')}
              </ActionButton>
            )}
          </Space>
          <Table
            size="small"
            rowKey="id"
            title={() => t('f.courses')}
            pagination={false}
            dataSource={p.courses}
            columns={[
              { title: t('f.topic'), dataIndex: 'topic', render: (x: Topic) => t(`topic.${x}`) },
              { title: t('f.title'), dataIndex: 'title' },
              { title: t('f.hours'), dataIndex: 'minutes', render: (m: number) => hours(m) },
              { title: t('f.targetDate'), dataIndex: 'targetDate' },
            ]}
          />
          <Table<Performer>
            size="small"
            rowKey="userId"
            title={() => (
              <Space>
                {t('action.topPerformers')}
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  onClick={() => void downloadFile(`/api/training/plans/${id}/top-performers/export.xlsx`, 'top-performers.xlsx').catch(showError)}
                >
                  {t('action.export')}
                </Button>
              </Space>
            )}
            pagination={false}
            dataSource={top.data?.items ?? []}
            columns={[
              { title: t('f.rank'), dataIndex: 'rank' },
              { title: t('f.user'), dataIndex: 'displayName' },
              { title: t('f.department'), dataIndex: 'department' },
              { title: t('f.bestScore'), dataIndex: 'bestScore' },
              { title: t('f.attended'), render: (_, r) => `${r.attended}/${r.invited}` },
              { title: t('f.hours'), dataIndex: 'minutes', render: (m: number) => hours(m) },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

type PlanForm = {
  year: number;
  title: string;
  role?: string;
  department?: string;
  topics: Topic[];
  note?: string;
  courses?: { topic: Topic; title: string; hours: number; targetDate: Dayjs }[];
};

function PlansTab() {
  const t = useTrainingT();
  const { can } = useAuth();
  const [open, setOpen] = useState<string | null>(null);
  const columns: ListColumn<Plan>[] = [
    { title: t('f.code'), dataIndex: 'code', sortField: 'code', render: (_, p) => <a onClick={() => setOpen(p.id)}>{p.code}</a> },
    { title: t('f.year'), dataIndex: 'year', sortField: 'year' },
    { title: t('f.title'), dataIndex: 'title', sortField: 'title' },
    { title: t('f.role'), dataIndex: 'role', render: (_, p) => p.role ?? '—' },
    { title: t('f.department'), dataIndex: 'department', render: (_, p) => p.department ?? '—' },
    { title: t('f.topics'), dataIndex: 'topics', render: (_, p) => p.topics.map((x) => <Tag key={x}>{t(`topic.${x}`)}</Tag>) },
    { title: t('f.courses'), dataIndex: 'courseCount' },
    { title: t('f.hours'), dataIndex: 'totalMinutes', render: (_, p) => hours(p.totalMinutes) },
    { title: t('f.targetDate'), dataIndex: 'nextTargetDate', render: (_, p) => p.nextTargetDate ?? '—' },
    { title: t('f.status'), dataIndex: 'status', sortField: 'status', render: (_, p) => <Tag color={p.status === 'active' ? 'green' : undefined}>{t(`status.${p.status}`)}</Tag> },
  ];
  return (
    <>
      <LooseListPage<Plan>
        endpoint="/api/training/plans"
        rowKey="id"
        columns={columns}
        defaultSort="-year"
        keyword={{ placeholder: t('keyword') }}
        filters={
          <>
            <Form.Item name="year">
              <InputNumber placeholder={t('filter.year')} min={2000} max={2100} style={{ width: 100 }} />
            </Form.Item>
            <Form.Item name="status">
              <Select
                allowClear
                placeholder={t('filter.status')}
                style={{ width: 110 }}
                options={(['draft', 'active', 'closed'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="topic">
              <TopicSelect allowClear placeholder={t('filter.topic')} />
            </Form.Item>
          </>
        }
        toolbar={
          can('training:manage') && (
            <FormModal<PlanForm>
              title={t('tabs.plans')}
              button={t('create')}
              buttonProps={{ type: 'primary', icon: <PlusOutlined /> }}
              testId="plan-create"
              url="/api/training/plans"
              width={820}
              initialValues={{ year: new Date().getFullYear(), topics: [] }}
              onDone={(r) => setOpen((r as { id: string }).id)}
              toBody={(v) => ({
                year: v.year,
                title: v.title,
                role: v.role ?? null,
                department: v.department || null,
                topics: v.topics,
                note: v.note || null,
                courses: (v.courses ?? []).map((c) => ({ topic: c.topic, title: c.title, minutes: Math.round(Number(c.hours) * 60), targetDate: day(c.targetDate) })),
              })}
            >
              <Space wrap>
                <Form.Item name="year" label={t('f.year')} rules={[{ required: true }]}>
                  <InputNumber min={2000} max={2100} />
                </Form.Item>
                <Form.Item name="title" label={t('f.title')} rules={[{ required: true }]}>
                  <Input data-testid="plan-title" style={{ width: 320 }} />
                </Form.Item>
                <Form.Item name="role" label={t('f.role')}>
                  <Select allowClear style={{ width: 140 }} options={ROLES.map((r) => ({ value: r, label: r }))} data-testid="plan-role" />
                </Form.Item>
                <Form.Item name="department" label={t('f.department')}>
                  <Input style={{ width: 140 }} />
                </Form.Item>
              </Space>
              <Form.Item name="topics" label={t('f.topics')} rules={[{ required: true }]}>
                <TopicSelect multiple testId="plan-topics" />
              </Form.Item>
              <Form.List name="courses">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f) => (
                      <Space key={f.key} align="baseline" wrap>
                        <Form.Item name={[f.name, 'topic']} rules={[{ required: true }]}>
                          <TopicSelect testId={`course-topic-${f.name}`} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'title']} rules={[{ required: true }]}>
                          <Input placeholder={t('f.title')} data-testid={`course-title-${f.name}`} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'hours']} rules={[{ required: true }]}>
                          <InputNumber placeholder={t('f.hours')} min={0.5} step={0.5} data-testid={`course-hours-${f.name}`} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'targetDate']} rules={[{ required: true }]}>
                          <DatePicker placeholder={t('f.targetDate')} data-testid={`course-date-${f.name}`} />
                        </Form.Item>
                        <a onClick={() => remove(f.name)}>×</a>
                      </Space>
                    ))}
                    <Button size="small" onClick={() => add()} data-testid="course-add">
                      + {t('f.courses')}
                    </Button>
                  </>
                )}
              </Form.List>
              <Form.Item name="note" label={t('f.note')}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </FormModal>
          )
        }
      />
      {open && <PlanDrawer id={open} onClose={() => setOpen(null)} />}
    </>
  );
}

// ---------------------------------------------------------------- sessions

function SessionDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useTrainingT();
  const { can } = useAuth();
  const manage = can('training:manage');
  const refresh = useRefreshTraining();
  const s = useGet<SessionDetail>(`/api/training/sessions/${id}`).data;
  const [invitees, setInvitees] = useState<string[]>([]);
  const [part, setPart] = useState<{ kind: string; title: string }>({ kind: 'case_study', title: '' });
  return (
    <Drawer open width={820} title={s ? `${s.code} ${s.title}` : ''} onClose={onClose} data-testid="session-drawer">
      {s && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label={t('f.kind')}>{t(`kind.${s.kind as 'internal'}`)}</Descriptions.Item>
            <Descriptions.Item label={t('f.status')}>{t(`status.${s.status}`)}</Descriptions.Item>
            <Descriptions.Item label={t('f.startsAt')}>{formatDateTime(s.startsAt)}</Descriptions.Item>
            <Descriptions.Item label={t('f.endsAt')}>{formatDateTime(s.endsAt)}</Descriptions.Item>
            <Descriptions.Item label={s.link ? t('f.link') : t('f.place')}>{s.link ?? s.place}</Descriptions.Item>
            <Descriptions.Item label={t('f.trainer')}>{s.trainerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('f.topic')}>{t(`topic.${s.topic}`)}</Descriptions.Item>
            <Descriptions.Item label={t('f.hours')}>{hours(s.minutes)}</Descriptions.Item>
          </Descriptions>
          {manage && s.status === 'scheduled' && (
            <Space wrap>
              <StaffSelect multiple value={invitees} onChange={(v) => setInvitees(v as string[])} testId="session-invitees" style={{ width: 360 }} />
              <ActionButton
                testId="session-invite"
                type="primary"
                disabled={!invitees.length}
                url={`/api/training/sessions/${id}/invitations`}
                body={{ userIds: invitees }}
                onDone={() => setInvitees([])}
              >
                {t('action.invite')}
              </ActionButton>
              <ActionButton testId="session-complete" url={`/api/training/sessions/${id}/complete`} confirm={t('action.complete')}>
                {t('action.complete')}
              </ActionButton>
              <ActionButton danger url={`/api/training/sessions/${id}/cancel`} confirm={t('action.cancel')}>
                {t('action.cancel')}
              </ActionButton>
            </Space>
          )}
          <Space align="start">
            <Table
              size="small"
              rowKey="userId"
              title={() => t('session.attendance')}
              pagination={false}
              dataSource={s.attendance}
              style={{ minWidth: 460 }}
              columns={[
                { title: t('f.user'), dataIndex: 'displayName' },
                {
                  title: t('session.checkedIn'),
                  render: (_, a) =>
                    a.checkedInAt ? (
                      <Tag color="green">
                        {formatDateTime(a.checkedInAt)} · {a.method === 'qr' ? t('session.byQr') : t('session.byTrainer')}
                      </Tag>
                    ) : manage && s.status === 'scheduled' ? (
                      <ActionButton testId={`checkin-${a.displayName}`} url={`/api/training/sessions/${id}/checkins`} body={{ userId: a.userId }}>
                        {t('action.checkin')}
                      </ActionButton>
                    ) : (
                      t('session.notCheckedIn')
                    ),
                },
                { title: t('f.hours'), dataIndex: 'minutesCredited', render: (m: number | null) => (m === null ? '—' : hours(m)) },
              ]}
            />
            {manage && s.status === 'scheduled' && (
              <Card size="small" title={t('session.qr')} style={{ width: 240 }}>
                <img src={`/api/training/sessions/${id}/qr.png`} alt="QR" style={{ width: 200 }} data-testid="session-qr" />
              </Card>
            )}
          </Space>
          <Card size="small" title={t('session.parts')}>
            {s.parts.map((p, i) => (
              <div key={i}>
                <Tag>{t(`kind.${p.kind as 'case_study'}`)}</Tag>
                {p.title}
                {p.notes ? ` — ${p.notes}` : ''}
              </div>
            ))}
            {manage && (
              <Space style={{ marginTop: 8 }}>
                <Select
                  value={part.kind}
                  onChange={(kind) => setPart({ ...part, kind })}
                  style={{ width: 130 }}
                  options={['case_study', 'simulation', 'demonstration', 'lecture'].map((k) => ({ value: k, label: t(`kind.${k as 'case_study'}`) }))}
                />
                <Input value={part.title} onChange={(e) => setPart({ ...part, title: e.target.value })} style={{ width: 260 }} />
                <ActionButton
                  disabled={!part.title.trim()}
                  url={`/api/training/sessions/${id}/parts`}
                  body={{ parts: [...s.parts, { kind: part.kind, title: part.title.trim(), notes: null }] }}
                  onDone={() => setPart({ ...part, title: '' })}
                >
                  {t('action.addPart')}
                </ActionButton>
              </Space>
            )}
          </Card>
          <Card size="small" title={t('session.files')}>
            {s.files.map((f) => (
              <div key={f.id}>
                <a onClick={() => void downloadFile(`/api/training/sessions/${id}/files/${f.id}`, f.filename).catch(showError)}>{f.filename}</a> ({Math.ceil(f.size / 1024)} KB)
              </div>
            ))}
            {manage && (
              <Upload
                showUploadList={false}
                beforeUpload={(file) => {
                  void uploadFile(`/api/training/sessions/${id}/files`, file)
                    .then(() => refresh())
                    .catch(showError);
                  return false;
                }}
              >
                <Button size="small">{t('action.upload')}</Button>
              </Upload>
            )}
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

type SessionForm = {
  planId: string;
  title: string;
  kind: string;
  topic: Topic;
  startsAt: Dayjs;
  endsAt: Dayjs;
  place?: string;
  link?: string;
  trainerId?: string;
  inviteeIds?: string[];
};

function SessionsTab() {
  const t = useTrainingT();
  const { can } = useAuth();
  const [open, setOpen] = useState<string | null>(null);
  const plans = useGet<Page<Plan>>('/api/training/plans?pageSize=200&status=active');
  const columns: ListColumn<Session>[] = [
    { title: t('f.code'), dataIndex: 'code', sortField: 'code', render: (_, s) => <a onClick={() => setOpen(s.id)}>{s.code}</a> },
    { title: t('f.title'), dataIndex: 'title', sortField: 'title' },
    { title: t('f.plan'), dataIndex: 'planCode' },
    { title: t('f.kind'), dataIndex: 'kind', sortField: 'kind', render: (_, s) => t(`kind.${s.kind as 'internal'}`) },
    { title: t('f.topic'), dataIndex: 'topic', render: (_, s) => t(`topic.${s.topic}`) },
    { title: t('f.startsAt'), dataIndex: 'startsAt', sortField: 'startsAt', render: (_, s) => formatDateTime(s.startsAt) },
    { title: t('f.place'), dataIndex: 'place', render: (_, s) => s.place ?? s.link },
    { title: t('f.trainer'), dataIndex: 'trainerName' },
    { title: t('f.attended'), render: (_, s) => `${s.attended}/${s.invited}` },
    { title: t('f.status'), dataIndex: 'status', sortField: 'status', render: (_, s) => t(`status.${s.status}`) },
  ];
  return (
    <>
      <LooseListPage<Session>
        endpoint="/api/training/sessions"
        rowKey="id"
        columns={columns}
        defaultSort="-startsAt"
        keyword={{ placeholder: t('keyword') }}
        filters={
          <>
            <Form.Item name="status">
              <Select
                allowClear
                placeholder={t('filter.status')}
                style={{ width: 110 }}
                options={(['scheduled', 'completed', 'cancelled'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="kind">
              <Select
                allowClear
                placeholder={t('filter.kind')}
                style={{ width: 120 }}
                options={(['internal', 'external', 'online', 'field_visit'] as const).map((s) => ({ value: s, label: t(`kind.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="topic">
              <TopicSelect allowClear placeholder={t('filter.topic')} />
            </Form.Item>
          </>
        }
        toolbar={
          can('training:manage') && (
            <FormModal<SessionForm>
              title={t('tabs.sessions')}
              button={t('create')}
              buttonProps={{ type: 'primary', icon: <PlusOutlined /> }}
              testId="session-create"
              url="/api/training/sessions"
              width={760}
              initialValues={{ kind: 'internal' }}
              onDone={(r) => setOpen((r as { id: string }).id)}
              toBody={(v) => ({
                planId: v.planId,
                title: v.title,
                kind: v.kind,
                topic: v.topic,
                startsAt: iso(v.startsAt),
                endsAt: iso(v.endsAt),
                place: v.place || null,
                link: v.link || null,
                trainerId: v.trainerId ?? null,
                inviteeIds: v.inviteeIds ?? [],
              })}
            >
              <Form.Item name="planId" label={t('f.plan')} rules={[{ required: true }]}>
                <Select data-testid="session-plan" options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.title}` }))} />
              </Form.Item>
              <Space wrap>
                <Form.Item name="title" label={t('f.title')} rules={[{ required: true }]}>
                  <Input data-testid="session-title" style={{ width: 280 }} />
                </Form.Item>
                <Form.Item name="kind" label={t('f.kind')} rules={[{ required: true }]}>
                  <Select style={{ width: 130 }} options={(['internal', 'external', 'online', 'field_visit'] as const).map((s) => ({ value: s, label: t(`kind.${s}`) }))} />
                </Form.Item>
                <Form.Item name="topic" label={t('f.topic')} rules={[{ required: true }]}>
                  <TopicSelect testId="session-topic" />
                </Form.Item>
              </Space>
              <Space wrap>
                <Form.Item name="startsAt" label={t('f.startsAt')} rules={[{ required: true }]}>
                  <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="session-starts" />
                </Form.Item>
                <Form.Item name="endsAt" label={t('f.endsAt')} rules={[{ required: true }]}>
                  <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="session-ends" />
                </Form.Item>
              </Space>
              <Space wrap>
                <Form.Item name="place" label={t('f.place')}>
                  <Input data-testid="session-place" style={{ width: 240 }} />
                </Form.Item>
                <Form.Item name="link" label={t('f.link')}>
                  <Input style={{ width: 300 }} />
                </Form.Item>
              </Space>
              <Form.Item name="trainerId" label={t('f.trainer')}>
                <StaffSelect />
              </Form.Item>
              <Form.Item name="inviteeIds" label={t('f.invitees')}>
                <StaffSelect multiple testId="session-create-invitees" />
              </Form.Item>
            </FormModal>
          )
        }
      />
      {open && <SessionDrawer id={open} onClose={() => setOpen(null)} />}
    </>
  );
}

// ---------------------------------------------------------------- question bank

const LETTERS = 'ABCDEFGHIJ';
function answerText(q: Question): string {
  if (Array.isArray(q.answer)) return q.answer.map((i) => LETTERS[i]).join('');
  if (q.answer === null) return '—';
  return q.answer ? '√' : '×';
}

type QuestionForm = { topic: Topic; kind: Question['kind']; text: string; options?: string; answer?: string; points?: number };

function QuestionsTab() {
  const t = useTrainingT();
  const columns: ListColumn<Question>[] = [
    { title: t('f.topic'), dataIndex: 'topic', sortField: 'topic', render: (_, q) => t(`topic.${q.topic}`) },
    { title: t('f.kind'), dataIndex: 'kind', sortField: 'kind', render: (_, q) => t(`kind.${q.kind}`) },
    {
      title: t('f.question'),
      dataIndex: 'text',
      render: (_, q) => (
        <>
          {q.text}
          {q.options.length > 0 && <div style={{ color: '#888' }}>{q.options.map((o, i) => `${LETTERS[i]}. ${o}`).join('  ')}</div>}
        </>
      ),
    },
    { title: t('f.answer'), dataIndex: 'answer', render: (_, q) => answerText(q) },
    { title: t('f.points'), dataIndex: 'points', sortField: 'points' },
    { title: t('f.active'), dataIndex: 'active', render: (_, q) => (q.active ? t('yes') : t('no')) },
  ];
  return (
    <LooseListPage<Question>
      endpoint="/api/training/questions"
      rowKey="id"
      columns={columns}
      keyword={{ placeholder: t('keyword') }}
      filters={
        <>
          <Form.Item name="topic">
            <TopicSelect allowClear placeholder={t('filter.topic')} />
          </Form.Item>
          <Form.Item name="kind">
            <Select
              allowClear
              placeholder={t('filter.kind')}
              style={{ width: 110 }}
              options={(['single', 'multiple', 'true_false', 'short'] as const).map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            />
          </Form.Item>
        </>
      }
      toolbar={
        <FormModal<QuestionForm>
          title={t('tabs.questions')}
          button={t('create')}
          buttonProps={{ type: 'primary', icon: <PlusOutlined /> }}
          testId="question-create"
          url="/api/training/questions"
          initialValues={{ kind: 'single', points: 1 }}
          toBody={(v) => {
            const options = (v.options ?? '')
              .split('\n')
              .map((o) => o.trim())
              .filter(Boolean);
            const a = (v.answer ?? '').trim().toUpperCase();
            const answer =
              v.kind === 'short'
                ? null
                : v.kind === 'true_false'
                  ? a === ''
                    ? null
                    : a === '√' || a === 'T' || a === 'TRUE' || a === '对'
                  : a === ''
                    ? null
                    : [...a].map((c) => LETTERS.indexOf(c)).filter((i) => i >= 0);
            return { topic: v.topic, kind: v.kind, text: v.text, options: v.kind === 'single' || v.kind === 'multiple' ? options : [], answer, points: v.points };
          }}
        >
          <Space wrap>
            <Form.Item name="topic" label={t('f.topic')} rules={[{ required: true }]}>
              <TopicSelect />
            </Form.Item>
            <Form.Item name="kind" label={t('f.kind')} rules={[{ required: true }]}>
              <Select style={{ width: 120 }} options={(['single', 'multiple', 'true_false', 'short'] as const).map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
            </Form.Item>
            <Form.Item name="points" label={t('f.points')}>
              <InputNumber min={1} max={100} />
            </Form.Item>
          </Space>
          <Form.Item name="text" label={t('f.question')} rules={[{ required: true }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="options" label={t('f.options')}>
            <Input.TextArea rows={4} />
          </Form.Item>
          <Form.Item name="answer" label={t('f.answer')} extra={t('f.answerHint')}>
            <Input style={{ width: 160 }} />
          </Form.Item>
        </FormModal>
      }
    />
  );
}

// ---------------------------------------------------------------- exams

type ExamForm = {
  title: string;
  topic: Topic;
  planId?: string;
  questionIds: string[];
  passMark: number;
  excellentMark: number;
  timeLimitMinutes: number;
  attemptLimit: number;
  remedy: 'retest' | 'remedial';
  remedyDays: number;
  certificateTypeId?: string;
};

function ExamsTab() {
  const t = useTrainingT();
  const { can } = useAuth();
  const questions = useGet<Page<Question>>(can('training:manage') ? '/api/training/questions?active=true&pageSize=200' : null);
  const types = useGet<Page<CertType>>('/api/training/certificate-types?pageSize=200&active=true');
  const plans = useGet<Page<Plan>>('/api/training/plans?pageSize=200');
  const columns: ListColumn<Exam>[] = [
    { title: t('f.code'), dataIndex: 'code', sortField: 'code' },
    { title: t('f.title'), dataIndex: 'title', sortField: 'title' },
    { title: t('f.topic'), dataIndex: 'topic', sortField: 'topic', render: (_, e) => t(`topic.${e.topic}`) },
    { title: t('f.questions'), dataIndex: 'questionCount', render: (_, e) => `${e.questionCount} / ${e.maxPoints}` },
    { title: t('f.passMark'), dataIndex: 'passMark', sortField: 'passMark', render: (_, e) => `${e.passMark} / ${e.excellentMark}` },
    { title: t('f.timeLimit'), dataIndex: 'timeLimitMinutes' },
    { title: t('f.attemptLimit'), dataIndex: 'attemptLimit' },
    { title: t('f.remedy'), dataIndex: 'remedy', render: (_, e) => t(`kind.${e.remedy}`) },
    { title: t('f.certificate'), dataIndex: 'certificateTypeName', render: (_, e) => e.certificateTypeName ?? '—' },
    { title: t('f.passRate'), dataIndex: 'passRate', render: (_, e) => (e.passRate === null ? '—' : `${e.passRate}%`) },
  ];
  return (
    <LooseListPage<Exam>
      endpoint="/api/training/exams"
      rowKey="id"
      columns={columns}
      keyword={{ placeholder: t('keyword') }}
      filters={
        <Form.Item name="topic">
          <TopicSelect allowClear placeholder={t('filter.topic')} />
        </Form.Item>
      }
      toolbar={
        can('training:manage') && (
          <FormModal<ExamForm>
            title={t('tabs.exams')}
            button={t('create')}
            buttonProps={{ type: 'primary', icon: <PlusOutlined /> }}
            testId="exam-create"
            url="/api/training/exams"
            width={760}
            initialValues={{ passMark: 60, excellentMark: 90, timeLimitMinutes: 30, attemptLimit: 1, remedy: 'retest', remedyDays: 14 }}
            toBody={(v) => ({ ...v, planId: v.planId ?? null, certificateTypeId: v.certificateTypeId ?? null })}
          >
            <Space wrap>
              <Form.Item name="title" label={t('f.title')} rules={[{ required: true }]}>
                <Input style={{ width: 280 }} />
              </Form.Item>
              <Form.Item name="topic" label={t('f.topic')} rules={[{ required: true }]}>
                <TopicSelect />
              </Form.Item>
              <Form.Item name="planId" label={t('f.plan')}>
                <Select allowClear style={{ width: 220 }} options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.title}` }))} />
              </Form.Item>
            </Space>
            <Form.Item name="questionIds" label={t('f.questions')} rules={[{ required: true }]}>
              <Select
                mode="multiple"
                optionFilterProp="label"
                options={(questions.data?.items ?? []).map((q) => ({ value: q.id, label: `[${t(`topic.${q.topic}`)}·${t(`kind.${q.kind}`)}] ${q.text}` }))}
              />
            </Form.Item>
            <Space wrap>
              <Form.Item name="passMark" label={t('f.passMark')}>
                <InputNumber min={1} max={100} />
              </Form.Item>
              <Form.Item name="excellentMark" label={t('f.excellentMark')}>
                <InputNumber min={1} max={100} />
              </Form.Item>
              <Form.Item name="timeLimitMinutes" label={t('f.timeLimit')}>
                <InputNumber min={1} max={600} />
              </Form.Item>
              <Form.Item name="attemptLimit" label={t('f.attemptLimit')}>
                <InputNumber min={1} max={10} />
              </Form.Item>
            </Space>
            <Space wrap>
              <Form.Item name="remedy" label={t('f.remedy')}>
                <Select style={{ width: 140 }} options={(['retest', 'remedial'] as const).map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
              </Form.Item>
              <Form.Item name="remedyDays" label={t('f.remedyDays')}>
                <InputNumber min={1} max={365} />
              </Form.Item>
              <Form.Item name="certificateTypeId" label={t('f.certificate')}>
                <Select allowClear style={{ width: 200 }} options={(types.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} />
              </Form.Item>
            </Space>
          </FormModal>
        )
      }
    />
  );
}

// ---------------------------------------------------------------- attempts and marking

function MarkButton({ id }: { id: string }) {
  const t = useTrainingT();
  const a = useGet<AttemptDetail>(`/api/training/attempts/${id}`).data;
  if (!a) return null;
  const shorts = a.questions.filter((q) => q.kind === 'short');
  return (
    <FormModal<{ marks: Record<string, number> }>
      title={t('mark.title', { name: a.userName, exam: a.examTitle })}
      button={t('action.mark')}
      buttonProps={{ size: 'small', type: 'primary' }}
      testId={`mark-${id}`}
      url={`/api/training/attempts/${id}/mark`}
      toBody={(v) => ({ marks: v.marks })}
    >
      {shorts.map((q) => (
        <Form.Item
          key={q.id}
          name={['marks', q.id]}
          label={`${q.text} (≤ ${q.points})`}
          extra={`${t('mark.given')}: ${String(a.answers[q.id] ?? '—')}`}
          rules={[{ required: true }]}
        >
          <InputNumber min={0} max={q.points} />
        </Form.Item>
      ))}
    </FormModal>
  );
}

function AttemptsTab() {
  const t = useTrainingT();
  const { can } = useAuth();
  const columns: ListColumn<Attempt>[] = [
    { title: t('tabs.exams'), dataIndex: 'examTitle' },
    { title: t('f.user'), dataIndex: 'userName' },
    { title: t('f.attemptNo'), dataIndex: 'attemptNo', sortField: 'attemptNo', render: (_, a) => `${a.attemptNo}${a.isRetest ? ` · ${t('f.retest')}` : ''}` },
    { title: t('f.startedAt'), dataIndex: 'startedAt', sortField: 'startedAt', render: (_, a) => formatDateTime(a.startedAt) },
    { title: t('f.score'), dataIndex: 'scorePercent', sortField: 'scorePercent', render: (_, a) => a.scorePercent ?? '—' },
    { title: t('filter.result'), dataIndex: 'result', render: (_, a) => <ResultTag result={a.result} /> },
    { title: t('f.status'), dataIndex: 'status', sortField: 'status', render: (_, a) => t(`status.${a.status}`) },
    { title: '', render: (_, a) => (a.status === 'marking' && can('training:assess') ? <MarkButton id={a.id} /> : null) },
  ];
  return (
    <LooseListPage<Attempt>
      endpoint="/api/training/attempts"
      rowKey="id"
      columns={columns}
      keyword={{ placeholder: t('keyword') }}
      filters={
        <>
          <Form.Item name="status">
            <Select
              allowClear
              placeholder={t('filter.status')}
              style={{ width: 110 }}
              options={(['in_progress', 'marking', 'graded'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
            />
          </Form.Item>
          <Form.Item name="result">
            <Select
              allowClear
              placeholder={t('filter.result')}
              style={{ width: 100 }}
              options={(['excellent', 'pass', 'fail'] as const).map((s) => ({ value: s, label: t(`result.${s}`) }))}
            />
          </Form.Item>
        </>
      }
    />
  );
}

// ---------------------------------------------------------------- remedials

function RemedialsTab() {
  const t = useTrainingT();
  const { can } = useAuth();
  const columns: ListColumn<Remedial>[] = [
    { title: t('f.user'), dataIndex: 'userName' },
    { title: t('tabs.exams'), dataIndex: 'examTitle', render: (_, r) => r.examTitle ?? `${t('kind.practical')} · ${t(`topic.${r.topic}`)}` },
    { title: t('f.kind'), dataIndex: 'kind', sortField: 'kind', render: (_, r) => t(`kind.${r.kind}`) },
    { title: t('f.dueOn'), dataIndex: 'dueOn', sortField: 'dueOn', render: (_, r) => (r.overdue ? <Tag color="red">{`${r.dueOn} ${t('f.overdue')}`}</Tag> : r.dueOn) },
    { title: t('f.status'), dataIndex: 'status', sortField: 'status', render: (_, r) => t(`status.${r.status as 'open'}`) },
    {
      title: '',
      render: (_, r) =>
        can('training:manage') && r.status === 'open' ? (
          <Space>
            {r.kind === 'remedial' && !r.trainingDoneAt && (
              <ActionButton testId={`remedial-done-${r.userName}`} type="primary" url={`/api/training/remedials/${r.id}/training-done`}>
                {t('action.trainingDone')}
              </ActionButton>
            )}
            {r.trainingDoneAt && <Tag color="blue">{t('me.remedialRetestOpen')}</Tag>}
          </Space>
        ) : null,
    },
  ];
  return (
    <LooseListPage<Remedial>
      endpoint="/api/training/remedials"
      rowKey="id"
      columns={columns}
      keyword={{ placeholder: t('keyword') }}
      toQuery={(v) => ({ ...v, overdue: v.overdue ? 'true' : undefined })}
      filters={
        <>
          <Form.Item name="status">
            <Select
              allowClear
              placeholder={t('filter.status')}
              style={{ width: 110 }}
              options={(['open', 'done', 'failed', 'cancelled'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
            />
          </Form.Item>
          <Form.Item name="kind">
            <Select
              allowClear
              placeholder={t('filter.kind')}
              style={{ width: 120 }}
              options={(['retest', 'remedial'] as const).map((s) => ({ value: s, label: t(`kind.${s}`) }))}
            />
          </Form.Item>
          <Form.Item name="overdue" valuePropName="checked" label={t('f.overdue')}>
            <Switch size="small" />
          </Form.Item>
        </>
      }
    />
  );
}

// ---------------------------------------------------------------- assessments

type AssessmentForm = {
  kind: 'practical' | 'performance';
  userId: string;
  topic: Topic;
  checklist?: string;
  period?: string;
  scorePercent?: number;
  comment?: string;
  certificateTypeId?: string;
};

function AssessmentsTab() {
  const t = useTrainingT();
  const { can } = useAuth();
  const types = useGet<Page<CertType>>('/api/training/certificate-types?pageSize=200&active=true');
  const columns: ListColumn<Assessment>[] = [
    { title: t('f.kind'), dataIndex: 'kind', sortField: 'kind', render: (_, a) => t(`kind.${a.kind}`) },
    { title: t('f.user'), dataIndex: 'userName' },
    { title: t('f.topic'), dataIndex: 'topic', render: (_, a) => t(`topic.${a.topic}`) },
    { title: t('f.assessor'), dataIndex: 'assessorName' },
    { title: t('f.period'), dataIndex: 'period', render: (_, a) => a.period ?? '—' },
    { title: t('f.score'), dataIndex: 'scorePercent', sortField: 'scorePercent' },
    { title: t('filter.result'), dataIndex: 'result', render: (_, a) => <ResultTag result={a.result} /> },
    { title: t('f.issuedOn'), dataIndex: 'createdAt', sortField: 'createdAt', render: (_, a) => formatDate(a.createdAt) },
  ];
  return (
    <LooseListPage<Assessment>
      endpoint="/api/training/assessments"
      rowKey="id"
      columns={columns}
      keyword={{ placeholder: t('keyword') }}
      filters={
        <>
          <Form.Item name="kind">
            <Select
              allowClear
              placeholder={t('filter.kind')}
              style={{ width: 120 }}
              options={(['practical', 'performance'] as const).map((s) => ({ value: s, label: t(`kind.${s}`) }))}
            />
          </Form.Item>
          <Form.Item name="result">
            <Select
              allowClear
              placeholder={t('filter.result')}
              style={{ width: 100 }}
              options={(['excellent', 'pass', 'fail'] as const).map((s) => ({ value: s, label: t(`result.${s}`) }))}
            />
          </Form.Item>
        </>
      }
      toolbar={
        can('training:assess') && (
          <FormModal<AssessmentForm>
            title={t('assess.create')}
            button={t('assess.create')}
            buttonProps={{ type: 'primary', icon: <PlusOutlined /> }}
            testId="assessment-create"
            url="/api/training/assessments"
            initialValues={{ kind: 'practical' }}
            toBody={(v) => ({
              kind: v.kind,
              userId: v.userId,
              topic: v.topic,
              checklist:
                v.kind === 'practical'
                  ? (v.checklist ?? '')
                      .split('\n')
                      .map((l) => l.trim())
                      .filter(Boolean)
                      .map((l) => ({ item: l.replace(/^[×x]\s*/i, ''), passed: !/^[×x]/i.test(l), note: null }))
                  : [],
              period: v.period || null,
              ...(v.scorePercent !== undefined && v.scorePercent !== null ? { scorePercent: v.scorePercent } : {}),
              comment: v.comment || null,
              certificateTypeId: v.certificateTypeId ?? null,
            })}
          >
            <Space wrap>
              <Form.Item name="kind" label={t('f.kind')} rules={[{ required: true }]}>
                <Select style={{ width: 140 }} options={(['practical', 'performance'] as const).map((s) => ({ value: s, label: t(`kind.${s}`) }))} />
              </Form.Item>
              <Form.Item name="userId" label={t('f.user')} rules={[{ required: true }]}>
                <StaffSelect />
              </Form.Item>
              <Form.Item name="topic" label={t('f.topic')} rules={[{ required: true }]}>
                <TopicSelect />
              </Form.Item>
            </Space>
            <Form.Item name="checklist" label={t('f.checklist')}>
              <Input.TextArea rows={4} />
            </Form.Item>
            <Space wrap>
              <Form.Item name="scorePercent" label={t('f.score')}>
                <InputNumber min={0} max={100} />
              </Form.Item>
              <Form.Item name="period" label={t('f.period')}>
                <Input style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="certificateTypeId" label={t('f.certificate')}>
                <Select allowClear style={{ width: 200 }} options={(types.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} />
              </Form.Item>
            </Space>
            <Form.Item name="comment" label={t('f.note')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </FormModal>
        )
      }
    />
  );
}

// ---------------------------------------------------------------- certificates and gating

function CertificatesTab() {
  const t = useTrainingT();
  const { can } = useAuth();
  const en = useEn();
  const columns: ListColumn<Certificate>[] = [
    { title: t('f.code'), dataIndex: 'code', sortField: 'code' },
    { title: t('tabs.certificates'), dataIndex: 'typeName', render: (_, c) => (en ? c.typeNameEn : c.typeName) },
    { title: t('f.holder'), dataIndex: 'holderName' },
    { title: t('f.issuedOn'), dataIndex: 'issuedOn', sortField: 'issuedOn' },
    { title: t('f.expiresOn'), dataIndex: 'expiresOn', sortField: 'expiresOn' },
    { title: t('f.daysLeft'), dataIndex: 'daysLeft' },
    {
      title: t('f.status'),
      dataIndex: 'status',
      sortField: 'status',
      render: (_, c) =>
        c.valid ? (
          <Tag color={c.expiringSoon ? 'orange' : 'green'}>{c.expiringSoon ? t('certState.expiring') : t('status.valid')}</Tag>
        ) : (
          <Tag color="red">{c.status === 'revoked' ? t('status.revoked') : t('status.expired')}</Tag>
        ),
    },
    {
      title: '',
      render: (_, c) =>
        can('training:manage') && c.status === 'valid' ? (
          <ActionButton danger url={`/api/training/certificates/${c.id}/revoke`} body={{ reason: 'revoked by trainer' }} confirm={t('action.revoke')}>
            {t('action.revoke')}
          </ActionButton>
        ) : null,
    },
  ];
  return (
    <LooseListPage<Certificate>
      endpoint="/api/training/certificates"
      rowKey="id"
      columns={columns}
      keyword={{ placeholder: t('keyword') }}
      filters={
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('filter.state')}
            style={{ width: 120 }}
            options={(['valid', 'expiring', 'expired', 'revoked'] as const).map((s) => ({ value: s, label: t(`certState.${s}`) }))}
          />
        </Form.Item>
      }
    />
  );
}

type CertTypeForm = { code: string; name: string; nameEn: string; validityDays: number; gatedPermissions: string[]; active?: boolean };

function CertTypeFields() {
  const t = useTrainingT();
  return (
    <>
      <Space wrap>
        <Form.Item name="code" label={t('f.code')} rules={[{ required: true }]}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="name" label={t('f.nameZh')} rules={[{ required: true }]}>
          <Input style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('f.nameEn')} rules={[{ required: true }]}>
          <Input style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="validityDays" label={t('f.validityDays')} rules={[{ required: true }]}>
          <InputNumber min={1} max={3650} />
        </Form.Item>
      </Space>
      <Form.Item name="gatedPermissions" label={t('f.gated')}>
        <Select mode="multiple" options={GATED.map((p) => ({ value: p, label: p }))} />
      </Form.Item>
      <Form.Item name="active" label={t('f.active')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </>
  );
}

function CertTypesTab() {
  const t = useTrainingT();
  const { can } = useAuth();
  const manage = can('training:manage');
  const columns: ListColumn<CertType>[] = [
    { title: t('f.code'), dataIndex: 'code', sortField: 'code' },
    { title: t('f.nameZh'), dataIndex: 'name', sortField: 'name' },
    { title: t('f.nameEn'), dataIndex: 'nameEn' },
    { title: t('f.validityDays'), dataIndex: 'validityDays', sortField: 'validityDays' },
    { title: t('f.gated'), dataIndex: 'gatedPermissions', render: (_, c) => c.gatedPermissions.map((p) => <Tag key={p}>{p}</Tag>) },
    { title: t('f.holders'), dataIndex: 'holders' },
    { title: t('f.active'), dataIndex: 'active', render: (_, c) => (c.active ? t('yes') : t('no')) },
    {
      title: '',
      render: (_, c) =>
        manage ? (
          <FormModal<CertTypeForm>
            title={c.name}
            button={t('save')}
            buttonProps={{ size: 'small' }}
            testId={`certtype-edit-${c.code}`}
            url={`/api/training/certificate-types/${c.id}`}
            method="PATCH"
            initialValues={c}
            toBody={(v) => v}
          >
            <CertTypeFields />
          </FormModal>
        ) : null,
    },
  ];
  return (
    <LooseListPage<CertType>
      endpoint="/api/training/certificate-types"
      rowKey="id"
      columns={columns}
      keyword={{ placeholder: t('keyword') }}
      filters={
        <Form.Item name="permission">
          <Select allowClear placeholder={t('f.gated')} style={{ width: 180 }} options={GATED.map((p) => ({ value: p, label: p }))} />
        </Form.Item>
      }
      toolbar={
        manage && (
          <FormModal<CertTypeForm>
            title={t('tabs.certTypes')}
            button={t('create')}
            buttonProps={{ type: 'primary', icon: <PlusOutlined /> }}
            testId="certtype-create"
            url="/api/training/certificate-types"
            initialValues={{ validityDays: 365, gatedPermissions: [], active: true }}
            toBody={(v) => v}
          >
            <CertTypeFields />
          </FormModal>
        )
      }
    />
  );
}

// ---------------------------------------------------------------- staff and reports

function StaffTab() {
  const t = useTrainingT();
  const { can } = useAuth();
  const columns: ListColumn<Staff>[] = [
    { title: t('f.username'), dataIndex: 'username', sortField: 'username' },
    { title: t('f.user'), dataIndex: 'displayName', sortField: 'displayName' },
    { title: t('f.roles'), dataIndex: 'roles', render: (_, s) => s.roles.join(', ') },
    { title: t('f.department'), dataIndex: 'department', sortField: 'department', render: (_, s) => s.department ?? '—' },
    { title: t('f.validCerts'), dataIndex: 'validCertificates' },
    {
      title: '',
      render: (_, s) =>
        can('training:manage') ? (
          <FormModal<{ department: string }>
            title={s.displayName}
            button={t('f.department')}
            buttonProps={{ size: 'small' }}
            testId={`staff-dept-${s.username}`}
            url={`/api/training/staff/${s.userId}/department`}
            method="PUT"
            initialValues={{ department: s.department ?? '' }}
            toBody={(v) => v}
          >
            <Form.Item name="department" label={t('f.department')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          </FormModal>
        ) : null,
    },
  ];
  return (
    <LooseListPage<Staff>
      endpoint="/api/training/staff"
      rowKey="userId"
      columns={columns}
      defaultSort="username"
      keyword={{ placeholder: t('keyword') }}
      filters={
        <Form.Item name="role">
          <Select allowClear placeholder={t('f.role')} style={{ width: 130 }} options={ROLES.map((r) => ({ value: r, label: r }))} />
        </Form.Item>
      }
    />
  );
}

function ReportsTab() {
  const t = useTrainingT();
  const [by, setBy] = useState<'department' | 'role' | 'topic'>('department');
  const [year, setYear] = useState<number | null>(new Date().getFullYear());
  const qs = `by=${by}${year ? `&year=${year}` : ''}`;
  const data = useGet<{ items: ReportRow[] }>(`/api/training/reports/summary?${qs}`);
  const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Select
          value={by}
          onChange={setBy}
          style={{ width: 140 }}
          data-testid="report-by"
          options={(['department', 'role', 'topic'] as const).map((k) => ({ value: k, label: t(`by.${k}`) }))}
        />
        <InputNumber value={year} onChange={(v) => setYear(v)} min={2000} max={2100} placeholder={t('filter.year')} />
        <Button icon={<DownloadOutlined />} onClick={() => void downloadFile(`/api/training/reports/summary/export.xlsx?${qs}`, 'training-report.xlsx').catch(showError)}>
          {t('action.export')}
        </Button>
      </Space>
      <Table<ReportRow>
        size="small"
        rowKey="group"
        data-testid="report-table"
        loading={data.isLoading}
        dataSource={data.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t(`by.${by}`), dataIndex: 'group', render: (g: string) => (by === 'topic' && (TOPICS as readonly string[]).includes(g) ? t(`topic.${g as Topic}`) : g) },
          { title: t('f.invited'), dataIndex: 'invited', sorter: (a, b) => a.invited - b.invited },
          { title: t('f.attended'), dataIndex: 'attended' },
          { title: t('f.completionRate'), dataIndex: 'completionRate', render: pct, sorter: (a, b) => (a.completionRate ?? -1) - (b.completionRate ?? -1) },
          { title: t('f.minutes'), dataIndex: 'minutes', render: (m: number) => hours(m) },
          { title: t('f.graded'), dataIndex: 'graded' },
          { title: t('f.passed'), dataIndex: 'passed' },
          { title: t('f.passRate'), dataIndex: 'passRate', render: pct, sorter: (a, b) => (a.passRate ?? -1) - (b.passRate ?? -1) },
          { title: t('f.excellent'), dataIndex: 'excellent' },
        ]}
      />
    </Space>
  );
}

/** Training (R8) for the trainer and managers: plans, sessions, question bank, exams, marking, re-tests, assessments, certificates and gating, reports. */
export function TrainingPage() {
  const t = useTrainingT();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'plans';
  const items = [
    { key: 'plans', label: t('tabs.plans'), children: <PlansTab /> },
    { key: 'sessions', label: t('tabs.sessions'), children: <SessionsTab /> },
    ...(can('training:manage') ? [{ key: 'questions', label: t('tabs.questions'), children: <QuestionsTab /> }] : []),
    { key: 'exams', label: t('tabs.exams'), children: <ExamsTab /> },
    { key: 'attempts', label: t('tabs.attempts'), children: <AttemptsTab /> },
    { key: 'remedials', label: t('tabs.remedials'), children: <RemedialsTab /> },
    { key: 'assessments', label: t('tabs.assessments'), children: <AssessmentsTab /> },
    { key: 'certificates', label: t('tabs.certificates'), children: <CertificatesTab /> },
    { key: 'certTypes', label: t('tabs.certTypes'), children: <CertTypesTab /> },
    { key: 'staff', label: t('tabs.staff'), children: <StaffTab /> },
    { key: 'reports', label: t('tabs.reports'), children: <ReportsTab /> },
  ];
  return (
    <>
      <Typography.Title level={4}>{t('title')}</Typography.Title>
      <Tabs activeKey={tab} onChange={(k) => setParams({ tab: k })} items={items} destroyOnHidden />
    </>
  );
}
