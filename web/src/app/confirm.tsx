import { Alert, Button, Form, Input, Modal, Select, Space } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { useCallback, useEffect, useId, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { scopedMessages } from './loose-api';

/**
 * The one confirmation dialog for destructive or irreversible actions: it names the object and says what will happen
 * before anything is sent. A dialog (role=dialog, labelled by its title, described by the consequence) that takes the
 * focus on Cancel, or on the reason when one is asked; Esc or Cancel leaves everything as it was.
 *
 *   const [confirm, confirmHolder] = useConfirm();
 *   if (!(await confirm({ title, consequence }))) return;
 */

const useConfirmT = scopedMessages('confirm', {
  'zh-CN': { cancel: '取消', ok: '确认', irreversible: '此操作无法撤销。', reasonRequired: '请填写原因', choiceRequired: '请选择' },
  'en-US': { cancel: 'Cancel', ok: 'Confirm', irreversible: 'This cannot be undone.', reasonRequired: 'Please give a reason', choiceRequired: 'Please choose one' },
});

export type ConfirmRequest = {
  title: string;
  /** What will happen, naming the object (e.g. "批次 L-1 将被冻结，不能再预留或出库。"). */
  consequence: ReactNode;
  /** More about the effect (a variance table, the affected customers…). */
  details?: ReactNode;
  /** Adds "this cannot be undone". */
  irreversible?: boolean;
  okText?: string;
  /** Red OK button (default); false for a confirmation that is not a loss. */
  danger?: boolean;
  /** Asks for a reason in the dialog; the answer carries it. */
  reason?: { label: string; required?: boolean; initial?: string; maxLength?: number };
  /** Asks to choose one of a few options (e.g. a disposition); the answer carries it. */
  choice?: { label: string; options: { value: string; label: string }[]; required?: boolean };
  /** Test ids: `<testId>-dialog`, `-ok`, `-cancel`, `-reason`, `-choice` (default "confirm"). */
  testId?: string;
};

export type ConfirmAnswer = { reason: string; choice?: string };

type Pending = ConfirmRequest & { resolve: (answer: ConfirmAnswer | null) => void };

/** The dialog a `useConfirm()` holder renders; exported for screens that keep the open state themselves. */
export function ConfirmDialog({ request, onAnswer }: { request: ConfirmRequest | null; onAnswer: (answer: ConfirmAnswer | null) => void }) {
  const t = useConfirmT();
  const descId = useId();
  const bodyRef = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const reasonRef = useRef<TextAreaRef>(null);
  const [reason, setReason] = useState('');
  const [choice, setChoice] = useState<string | undefined>();
  const [touched, setTouched] = useState(false);
  const r = request;
  const testId = r?.testId ?? 'confirm';
  const missingReason = Boolean(r?.reason?.required) && !reason.trim();
  const missingChoice = Boolean(r?.choice?.required) && !choice;
  const missing = missingReason || missingChoice;
  useEffect(() => {
    setReason(r?.reason?.initial ?? '');
    setChoice(undefined);
    setTouched(false);
  }, [r]);
  const answer = (ok: boolean) => {
    if (ok && missing) {
      setTouched(true);
      return;
    }
    onAnswer(ok ? { reason: reason.trim(), ...(choice ? { choice } : {}) } : null);
  };
  return (
    <Modal
      open={r !== null}
      title={r?.title}
      onCancel={() => answer(false)}
      destroyOnHidden
      maskClosable={false}
      width={r?.details ? 640 : 460}
      afterOpenChange={(open) => {
        if (!open) return;
        bodyRef.current?.closest('[role="dialog"]')?.setAttribute('aria-describedby', descId);
        if (r?.reason) reasonRef.current?.focus();
        else cancelRef.current?.focus();
      }}
      footer={
        <Space>
          <Button ref={cancelRef} data-testid={`${testId}-cancel`} onClick={() => answer(false)}>
            {t('cancel')}
          </Button>
          <Button type="primary" danger={r?.danger !== false} data-testid={`${testId}-ok`} onClick={() => answer(true)}>
            {r?.okText ?? t('ok')}
          </Button>
        </Space>
      }
    >
      <div ref={bodyRef} data-testid={`${testId}-dialog`}>
        <Alert
          type={r?.danger === false ? 'info' : 'warning'}
          showIcon
          title={
            <span id={descId} data-testid={`${testId}-consequence`}>
              {r?.consequence}
              {r?.irreversible ? ` ${t('irreversible')}` : ''}
            </span>
          }
        />
        {r?.details && <div style={{ marginTop: 12 }}>{r.details}</div>}
        {(r?.reason || r?.choice) && (
          <Form layout="vertical" style={{ marginTop: 12 }} component="div">
            {r.choice && (
              <Form.Item
                label={r.choice.label}
                required={r.choice.required}
                validateStatus={touched && missingChoice ? 'error' : undefined}
                help={touched && missingChoice ? t('choiceRequired') : undefined}
                htmlFor={`${descId}-choice`}
              >
                <Select id={`${descId}-choice`} data-testid={`${testId}-choice`} allowClear={!r.choice.required} value={choice} onChange={setChoice} options={r.choice.options} />
              </Form.Item>
            )}
            {r.reason && (
              <Form.Item
                label={r.reason.label}
                required={r.reason.required}
                validateStatus={touched && missingReason ? 'error' : undefined}
                help={touched && missingReason ? t('reasonRequired') : undefined}
                htmlFor={`${descId}-reason`}
              >
                <Input.TextArea
                  id={`${descId}-reason`}
                  ref={reasonRef}
                  data-testid={`${testId}-reason`}
                  rows={3}
                  maxLength={r.reason.maxLength ?? 500}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                />
              </Form.Item>
            )}
          </Form>
        )}
      </div>
    </Modal>
  );
}

/** confirm(request) opens the dialog and resolves to the answer, or null when cancelled; render the holder once. */
export function useConfirm(): [(request: ConfirmRequest) => Promise<ConfirmAnswer | null>, ReactElement] {
  const [pending, setPending] = useState<Pending | null>(null);
  const confirm = useCallback(
    (request: ConfirmRequest) =>
      new Promise<ConfirmAnswer | null>((resolve) => {
        setPending({ ...request, resolve });
      }),
    [],
  );
  const holder = (
    <ConfirmDialog
      request={pending}
      onAnswer={(answer) => {
        pending?.resolve(answer);
        setPending(null);
      }}
    />
  );
  return [confirm, holder];
}
