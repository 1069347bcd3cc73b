import { Form, Input, InputNumber, Modal } from 'antd';
import { useState, type CSSProperties, type ReactNode } from 'react';
import type { FormInstance } from 'antd';
import { SearchPicker } from '../../app/pickers';
import { applyServerErrors } from '../../app/problem';

/** Warehouses by code or name. */
export function WarehousePicker(props: { value?: string | null; onChange?: (id: string | undefined) => void; placeholder?: string; testId?: string; style?: CSSProperties }) {
  return (
    <SearchPicker endpoint="/api/inventory/warehouses" toOption={(w: { id: string; code: string; name: string }) => ({ value: w.id, code: w.code, name: w.name })} {...props} />
  );
}

/** Approved suppliers (or all) by code or name. */
export function SupplierPicker(props: {
  value?: string | null;
  onChange?: (id: string | undefined) => void;
  placeholder?: string;
  testId?: string;
  approvedOnly?: boolean;
  style?: CSSProperties;
}) {
  const { approvedOnly = true, ...rest } = props;
  return (
    <SearchPicker
      endpoint="/api/procurement/suppliers"
      filters={approvedOnly ? { status: 'approved' } : {}}
      toOption={(s: { id: string; code: string; name: string; rating: { grade: string | null } }) => ({
        value: s.id,
        code: s.code,
        name: s.name,
        extra: s.rating.grade ?? undefined,
      })}
      {...rest}
    />
  );
}

/** A modal form that submits once, putting server field errors on the fields. */
export function FormModal<T extends object>({
  open,
  title,
  onClose,
  submit,
  children,
  width = 560,
  testId,
  initialValues,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  submit: (values: T) => Promise<unknown>;
  children: (form: FormInstance<T>) => ReactNode;
  width?: number;
  testId?: string;
  initialValues?: Partial<T>;
}) {
  const [form] = Form.useForm<T>();
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await submit(values);
      form.resetFields();
      onClose();
    } catch (e) {
      applyServerErrors(form, e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={() => void ok()}
      confirmLoading={busy}
      width={width}
      destroyOnHidden
      okButtonProps={testId ? { 'data-testid': `${testId}-ok` } : undefined}
    >
      <Form form={form} layout="vertical" initialValues={initialValues} data-testid={testId}>
        {children(form)}
      </Form>
    </Modal>
  );
}

export const fenOf = (yuan: number | string | null | undefined): number => Math.round(Number(yuan ?? 0) * 100);
export { Input, InputNumber };
