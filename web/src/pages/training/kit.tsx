import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Modal, Select, type ButtonProps, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { useMessage } from '../../app/feedback';
import { jsonFetch, type Page } from '../../app/loose-api';
import { applyServerErrors, showError } from '../../app/problem';
import { useTrainingT } from './i18n';

export const TOPICS = ['product_knowledge', 'quality_standards', 'order_process', 'operating_rules', 'customer_service'] as const;
export type Topic = (typeof TOPICS)[number];
export type Result = 'excellent' | 'pass' | 'fail';
export const RESULT_COLORS: Record<Result, string> = { excellent: 'gold', pass: 'green', fail: 'red' };
export const GATED = ['quality:inspect', 'lots:status', 'orders:review', 'inventory:approve'] as const;

export type Staff = { userId: string; username: string; displayName: string; roles: string[]; department: string | null; validCertificates: number };

/** Refreshes every training list and detail after a write. */
export function useRefreshTraining(): () => Promise<void> {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ predicate: (q) => JSON.stringify(q.queryKey).includes('/api/training') });
}

export function useGet<T>(url: string | null) {
  return useQuery({ queryKey: ['training', url], queryFn: () => jsonFetch<T>(url!), enabled: url !== null });
}

/** Staff members to pick from (name, username, department). */
export function StaffSelect({
  value,
  onChange,
  multiple,
  testId,
  style,
}: {
  value?: string | string[];
  onChange?: (v: string | string[]) => void;
  multiple?: boolean;
  testId?: string;
  style?: React.CSSProperties;
}) {
  const staff = useGet<Page<Staff>>('/api/training/staff?pageSize=200');
  return (
    <Select
      data-testid={testId}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      showSearch
      optionFilterProp="label"
      style={{ minWidth: 220, ...style }}
      value={value}
      onChange={onChange}
      options={(staff.data?.items ?? []).map((s) => ({ value: s.userId, label: `${s.displayName} (${s.username})${s.department ? ` · ${s.department}` : ''}` }))}
    />
  );
}

export function TopicSelect(props: {
  value?: string | string[];
  onChange?: (v: string | string[]) => void;
  multiple?: boolean;
  testId?: string;
  allowClear?: boolean;
  placeholder?: string;
}) {
  const t = useTrainingT();
  return (
    <Select
      data-testid={props.testId}
      mode={props.multiple ? 'multiple' : undefined}
      allowClear={props.allowClear}
      showSearch
      optionFilterProp="label"
      placeholder={props.placeholder}
      style={{ minWidth: 160 }}
      value={props.value}
      onChange={props.onChange}
      options={TOPICS.map((k) => ({ value: k, label: t(`topic.${k}`) }))}
    />
  );
}

/**
 * A button opening a form in a modal; the form's values go through toBody to url. Server field errors land on the
 * fields (others as a toast); on success every training list is refreshed.
 */
export function FormModal<V extends object>({
  title,
  button,
  buttonProps,
  testId,
  url,
  method = 'POST',
  toBody,
  initialValues,
  onDone,
  children,
  width = 640,
}: {
  title: string;
  button: ReactNode;
  buttonProps?: ButtonProps;
  testId: string;
  url: string;
  method?: 'POST' | 'PATCH' | 'PUT';
  toBody: (v: V) => unknown;
  initialValues?: Partial<V>;
  onDone?: (res: unknown) => void;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
  width?: number;
}) {
  const t = useTrainingT();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<V>();
  const refresh = useRefreshTraining();
  const message = useMessage();
  const submit = async (v: V) => {
    setBusy(true);
    try {
      const res = await jsonFetch<unknown>(url, { method, body: toBody(v), idempotent: method === 'POST' });
      void message.success(t('saved'));
      setOpen(false);
      form.resetFields();
      await refresh();
      onDone?.(res);
    } catch (err) {
      if (!applyServerErrors(form, err)) showError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button data-testid={testId} {...buttonProps} onClick={() => setOpen(true)}>
        {button}
      </Button>
      <Modal
        open={open}
        title={title}
        width={width}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: busy, 'data-testid': `${testId}-ok` } as ButtonProps}
        destroyOnHidden
        forceRender
      >
        <Form<V> form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => void submit(v)} data-testid={`${testId}-form`}>
          {typeof children === 'function' ? children(form) : children}
        </Form>
      </Modal>
    </>
  );
}

/** A button that POSTs (optionally asking first) and refreshes the training lists. */
export function ActionButton({
  url,
  body,
  children,
  testId,
  confirm,
  onDone,
  ...rest
}: ButtonProps & { url: string; body?: unknown; testId?: string; confirm?: string; onDone?: (res: unknown) => void }) {
  const refresh = useRefreshTraining();
  const message = useMessage();
  const t = useTrainingT();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const res = await jsonFetch<unknown>(url, { method: 'POST', body: body ?? {} });
      void message.success(t('saved'));
      await refresh();
      onDone?.(res);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      data-testid={testId}
      loading={busy}
      {...rest}
      onClick={() => {
        if (confirm) Modal.confirm({ title: confirm, onOk: run });
        else void run();
      }}
    >
      {children}
    </Button>
  );
}

export const hours = (minutes: number): string => (Math.round((minutes / 60) * 10) / 10).toString();
