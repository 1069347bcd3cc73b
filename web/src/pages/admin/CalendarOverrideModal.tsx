import { DatePicker, Form, Input, Modal, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../app/feedback';
import { api, unwrap } from '../../app/api';
import type { CalendarDay } from '../../app/api-models';
import { applyServerErrors } from '../../app/problem';

type Values = { date: Dayjs; kind: CalendarDay['kind']; note?: string };

type Props = {
  open: boolean;
  date: Dayjs;
  /** The day as currently known, to prefill an edit. */
  current: CalendarDay | undefined;
  onClose: () => void;
  onSaved: (day: CalendarDay) => void;
};

export function CalendarOverrideModal({ open, date, current, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const message = useMessage();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: Values) => {
    const day = values.date.format('YYYY-MM-DD');
    setSaving(true);
    try {
      const saved = await unwrap(
        api.PUT('/api/admin/calendar/overrides/{date}', {
          params: { path: { date: day } },
          body: { kind: values.kind, note: values.note?.trim() || null },
        }),
      );
      void message.success(t('calendar.overrideSaved', { date: saved.date }));
      onSaved(saved);
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={open} title={t('calendar.overrideTitle')} okText={t('common.save')} confirmLoading={saving} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Form<Values>
        form={form}
        name="calendarOverride"
        layout="vertical"
        preserve={false}
        initialValues={{
          date,
          // editing an override keeps its kind; otherwise propose the opposite of the seed
          kind: current?.source === 'override' ? current.kind : current?.kind === 'holiday' ? 'workday' : 'holiday',
          note: current?.source === 'override' ? (current.note ?? undefined) : undefined,
        }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="date" label={t('calendar.date')} rules={[{ required: true, message: t('calendar.dateRequired') }]}>
          <DatePicker allowClear={false} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="kind" label={t('calendar.kind')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'holiday', label: t('calendar.holiday') },
              { value: 'workday', label: t('calendar.workday') },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label={t('calendar.note')}>
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
