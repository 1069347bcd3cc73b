import { Alert, Button, Card, Checkbox, Input, Modal, Radio, Result as AntResult, Space, Spin, Table, Tag, Typography, type ButtonProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { formatDateTime } from '../../app/format';
import { jsonFetch } from '../../app/loose-api';
import { ApiError, showError } from '../../app/problem';
import { useTrainingT } from './i18n';
import { hours, RESULT_COLORS, useGet, useRefreshTraining, type Result, type Topic } from './kit';

type MySession = {
  id: string;
  code: string;
  title: string;
  kind: string;
  startsAt: string;
  place: string | null;
  link: string | null;
  status: string;
  checkedInAt: string | null;
  minutesCredited: number | null;
};
type MyExam = {
  id: string;
  code: string;
  title: string;
  topic: Topic;
  questionCount: number;
  passMark: number;
  timeLimitMinutes: number;
  attemptsUsed: number;
  attemptsAllowed: number;
  lastResult: Result | null;
  openAttemptId: string | null;
  certificateTypeName: string | null;
};
type MyRemedial = {
  id: string;
  examId: string | null;
  examTitle: string | null;
  topic: Topic;
  kind: 'retest' | 'remedial';
  dueOn: string;
  status: string;
  overdue: boolean;
  trainingDoneAt: string | null;
};
type MyCert = { id: string; code: string; typeName: string; typeNameEn: string; issuedOn: string; expiresOn: string; valid: boolean; expiringSoon: boolean; status: string };
type MyAttempt = { id: string; examTitle: string; attemptNo: number; isRetest: boolean; startedAt: string; scorePercent: number | null; result: Result | null; status: string };
type Mine = { sessions: MySession[]; exams: MyExam[]; remedials: MyRemedial[]; certificates: MyCert[]; attempts: MyAttempt[]; creditedMinutes: number };

type AttemptDetail = {
  id: string;
  examTitle: string;
  status: 'in_progress' | 'marking' | 'graded';
  deadlineAt: string;
  scorePercent: number | null;
  result: Result | null;
  passMark: number;
  questions: { id: string; kind: 'single' | 'multiple' | 'true_false' | 'short'; text: string; options: string[]; points: number }[];
  answers: Record<string, number[] | boolean | string>;
  points: Record<string, number | null>;
  correct: Record<string, number[] | boolean | null> | null;
};

const LETTERS = 'ABCDEFGHIJ';

function ResultTag({ result }: { result: Result | null }) {
  const t = useTrainingT();
  return result ? <Tag color={RESULT_COLORS[result]}>{t(`result.${result}`)}</Tag> : <>—</>;
}

/** Every staff member's own training: sessions, exams to take, re-tests with deadlines and certificates. */
export function MyTrainingPage() {
  const t = useTrainingT();
  const navigate = useNavigate();
  const en = useTranslation().i18n.language === 'en-US';
  const me = useGet<Mine>('/api/training/me');
  const start = async (examId: string) => {
    try {
      const a = await jsonFetch<{ id: string }>(`/api/training/exams/${examId}/attempts`, { method: 'POST' });
      void navigate(`/training/attempts/${a.id}`);
    } catch (err) {
      showError(err);
    }
  };
  const d = me.data;
  if (!d) return <Spin />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4}>
        {t('myTitle')} <Typography.Text type="secondary">{t('me.hours', { hours: hours(d.creditedMinutes) })}</Typography.Text>
      </Typography.Title>
      {d.remedials.some((r) => r.status === 'open') && (
        <Card size="small" title={t('me.remedials')} data-testid="my-remedials">
          {d.remedials
            .filter((r) => r.status === 'open')
            .map((r) => (
              <Alert
                key={r.id}
                type={r.overdue ? 'error' : 'warning'}
                showIcon
                style={{ marginBottom: 8 }}
                data-testid="my-remedial"
                message={`${t(`kind.${r.kind}`)} · ${r.examTitle ?? `${t('kind.practical')} · ${t(`topic.${r.topic}`)}`} · ${t('f.dueOn')} ${r.dueOn}${r.overdue ? ` (${t('f.overdue')})` : ''}`}
                description={r.kind === 'remedial' && !r.trainingDoneAt ? t('me.remedialTrainingPending') : t('me.remedialRetestOpen')}
              />
            ))}
        </Card>
      )}
      <Card size="small" title={t('me.exams')}>
        <Table<MyExam>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={d.exams}
          columns={[
            { title: t('f.title'), dataIndex: 'title' },
            { title: t('f.topic'), dataIndex: 'topic', render: (x: Topic) => t(`topic.${x}`) },
            { title: t('f.questions'), dataIndex: 'questionCount' },
            { title: t('f.passMark'), dataIndex: 'passMark' },
            { title: t('f.timeLimit'), dataIndex: 'timeLimitMinutes' },
            { title: t('f.certificate'), dataIndex: 'certificateTypeName', render: (c: string | null) => c ?? '—' },
            { title: t('f.attemptLimit'), render: (_, e) => t('exam.attempts', { used: e.attemptsUsed, allowed: e.attemptsAllowed }) },
            { title: t('filter.result'), dataIndex: 'lastResult', render: (r: Result | null) => <ResultTag result={r} /> },
            {
              title: '',
              render: (_, e) =>
                e.openAttemptId || e.attemptsUsed < e.attemptsAllowed ? (
                  <Button size="small" type="primary" data-testid={`exam-start-${e.code}`} onClick={() => void start(e.id)}>
                    {e.openAttemptId ? t('action.resume') : t('action.start')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('me.certificates')}>
        <Table<MyCert>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={d.certificates}
          data-testid="my-certificates"
          columns={[
            { title: t('f.code'), dataIndex: 'code' },
            { title: t('tabs.certificates'), render: (_, c) => (en ? c.typeNameEn : c.typeName) },
            { title: t('f.issuedOn'), dataIndex: 'issuedOn' },
            { title: t('f.expiresOn'), dataIndex: 'expiresOn' },
            {
              title: t('f.status'),
              render: (_, c) =>
                c.valid ? (
                  <Tag color={c.expiringSoon ? 'orange' : 'green'}>{c.expiringSoon ? t('certState.expiring') : t('status.valid')}</Tag>
                ) : (
                  <Tag color="red">{t(c.status === 'revoked' ? 'status.revoked' : 'status.expired')}</Tag>
                ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('me.sessions')}>
        <Table<MySession>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={d.sessions}
          columns={[
            { title: t('f.title'), dataIndex: 'title' },
            { title: t('f.kind'), dataIndex: 'kind', render: (k: string) => t(`kind.${k as 'internal'}`) },
            { title: t('f.startsAt'), dataIndex: 'startsAt', render: (s: string) => formatDateTime(s) },
            { title: t('f.place'), render: (_, s) => (s.link ? <a href={s.link}>{s.link}</a> : s.place) },
            { title: t('f.status'), dataIndex: 'status', render: (s: string) => t(`status.${s as 'scheduled'}`) },
            { title: t('session.checkedIn'), dataIndex: 'checkedInAt', render: (c: string | null) => (c ? formatDateTime(c) : t('session.notCheckedIn')) },
            { title: t('f.hours'), dataIndex: 'minutesCredited', render: (m: number | null) => (m === null ? '—' : hours(m)) },
          ]}
        />
      </Card>
      <Card size="small" title={t('me.attempts')}>
        <Table<MyAttempt>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={d.attempts}
          columns={[
            { title: t('tabs.exams'), dataIndex: 'examTitle', render: (x: string, a) => <a onClick={() => void navigate(`/training/attempts/${a.id}`)}>{x}</a> },
            { title: t('f.attemptNo'), render: (_, a) => `${a.attemptNo}${a.isRetest ? ` · ${t('f.retest')}` : ''}` },
            { title: t('f.startedAt'), dataIndex: 'startedAt', render: (s: string) => formatDateTime(s) },
            { title: t('f.score'), dataIndex: 'scorePercent', render: (s: number | null) => s ?? '—' },
            { title: t('filter.result'), dataIndex: 'result', render: (r: Result | null) => <ResultTag result={r} /> },
            { title: t('f.status'), dataIndex: 'status', render: (s: string) => t(`status.${s as 'graded'}`) },
          ]}
        />
      </Card>
    </Space>
  );
}

function useCountdown(deadline: string | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(h);
  }, []);
  return deadline ? Math.max(0, new Date(deadline).getTime() - now) : 0;
}

/** Taking an exam in the browser (works on a phone): one question after another, a countdown, submit; then the score. */
export function ExamPage() {
  const t = useTrainingT();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const refresh = useRefreshTraining();
  const q = useGet<AttemptDetail>(`/api/training/attempts/${id}`);
  const [answers, setAnswers] = useState<Record<string, number[] | boolean | string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const left = useCountdown(q.data?.deadlineAt);
  const a = q.data;
  if (!a) return <Spin />;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await jsonFetch(`/api/training/attempts/${id}/submit`, { method: 'POST', body: { answers } });
      await refresh();
    } catch (err) {
      setError(err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : String(err));
    } finally {
      setBusy(false);
    }
  };
  const done = a.status !== 'in_progress';
  const mm = String(Math.floor(left / 60_000)).padStart(2, '0');
  const ss = String(Math.floor((left % 60_000) / 1000)).padStart(2, '0');
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 760 }} data-testid="exam-page">
      <Typography.Title level={4}>{a.examTitle}</Typography.Title>
      {done ? (
        a.status === 'graded' ? (
          <AntResult
            status={a.result === 'fail' ? 'warning' : 'success'}
            title={<span data-testid="exam-result">{t('exam.yourScore', { score: a.scorePercent, result: t(`result.${a.result!}`) })}</span>}
            extra={
              <Button data-testid="exam-back" onClick={() => void navigate('/training/me')}>
                {t('myTitle')}
              </Button>
            }
          />
        ) : (
          <Alert type="info" showIcon message={t('exam.waitingMark')} data-testid="exam-result" />
        )
      ) : (
        <Alert type={left < 60_000 ? 'error' : 'info'} showIcon message={left > 0 ? `${t('exam.timeLeft')} ${mm}:${ss}` : t('exam.timeUp')} />
      )}
      {a.questions.map((qq, n) => {
        const given = done ? a.answers[qq.id] : answers[qq.id];
        const correct = a.correct?.[qq.id];
        return (
          <Card key={qq.id} size="small" title={`${n + 1}. ${qq.text} (${qq.points})`} data-testid={`exam-q-${n}`}>
            {qq.kind === 'single' && (
              <Radio.Group disabled={done} value={Array.isArray(given) ? given[0] : undefined} onChange={(e) => setAnswers({ ...answers, [qq.id]: [e.target.value as number] })}>
                <Space direction="vertical">
                  {qq.options.map((o, i) => (
                    <Radio key={i} value={i} data-testid={`exam-q-${n}-opt-${i}`}>
                      {LETTERS[i]}. {o}
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            )}
            {qq.kind === 'multiple' && (
              <Checkbox.Group disabled={done} value={Array.isArray(given) ? given : []} onChange={(v) => setAnswers({ ...answers, [qq.id]: v as number[] })}>
                <Space direction="vertical">
                  {qq.options.map((o, i) => (
                    <Checkbox key={i} value={i} data-testid={`exam-q-${n}-opt-${i}`}>
                      {LETTERS[i]}. {o}
                    </Checkbox>
                  ))}
                </Space>
              </Checkbox.Group>
            )}
            {qq.kind === 'true_false' && (
              <Radio.Group disabled={done} value={typeof given === 'boolean' ? given : undefined} onChange={(e) => setAnswers({ ...answers, [qq.id]: e.target.value as boolean })}>
                <Radio value={true} data-testid={`exam-q-${n}-true`}>
                  {t('exam.true')}
                </Radio>
                <Radio value={false} data-testid={`exam-q-${n}-false`}>
                  {t('exam.false')}
                </Radio>
              </Radio.Group>
            )}
            {qq.kind === 'short' && (
              <Input.TextArea
                disabled={done}
                rows={3}
                placeholder={t('exam.answerText')}
                value={typeof given === 'string' ? given : ''}
                onChange={(e) => setAnswers({ ...answers, [qq.id]: e.target.value })}
              />
            )}
            {done && correct !== undefined && correct !== null && (
              <div style={{ marginTop: 8, color: a.points[qq.id] === qq.points ? '#389e0d' : '#cf1322' }}>
                {t('exam.correct')}: {Array.isArray(correct) ? correct.map((i) => LETTERS[i]).join('') : correct ? t('exam.true') : t('exam.false')}
              </div>
            )}
          </Card>
        );
      })}
      {error && <Alert type="error" showIcon message={error} data-testid="exam-error" />}
      {!done && (
        <Button
          type="primary"
          size="large"
          block
          loading={busy}
          data-testid="exam-submit"
          onClick={() => Modal.confirm({ title: t('exam.confirmSubmit'), onOk: submit, okButtonProps: { 'data-testid': 'exam-submit-ok' } as ButtonProps })}
        >
          {t('action.submit')}
        </Button>
      )}
    </Space>
  );
}

/** The page the session's QR code opens on a phone: checks the signed-in user in. */
export function CheckinPage() {
  const t = useTrainingT();
  const { token = '' } = useParams();
  const [state, setState] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    jsonFetch<{ title: string }>('/api/training/checkin', { method: 'POST', body: { token } })
      .then((r) => setState({ ok: true, text: t('checkin.ok', { title: r.title }) }))
      .catch((err: unknown) => setState({ ok: false, text: err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : String(err) }));
  }, [token, t]);
  if (!state) return <Spin tip={t('checkin.working')} />;
  return (
    <AntResult
      status={state.ok ? 'success' : 'error'}
      title={<span data-testid="checkin-result">{state.ok ? state.text : t('checkin.failed')}</span>}
      subTitle={state.ok ? undefined : state.text}
    />
  );
}
