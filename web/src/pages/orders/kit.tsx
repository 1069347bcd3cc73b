import { Select, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { currentLanguage } from '../../app/i18n';
import { jsonFetch, queryString } from '../catalog/page-kit';
import { REASONS, useOrderT } from './i18n';
import type { CustomerPick, OrderStatus, Outcome } from './types';

export const STATUS_COLORS: Record<OrderStatus, string> = {
  draft: 'default',
  needs_confirmation: 'orange',
  submitted: 'blue',
  in_review: 'gold',
  approved: 'green',
  rejected: 'red',
  cancelled: 'default',
  in_production: 'cyan',
  ready: 'geekblue',
  shipped: 'purple',
  delivered: 'lime',
  completed: 'green',
};
export const OUTCOME_COLORS: Record<Outcome, string> = { pass: 'green', warn: 'gold', fail: 'red' };

export function StatusTag({ status }: { status: OrderStatus }) {
  const ot = useOrderT();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="order-status" data-status={status}>
      {ot(`status.${status}`)}
    </Tag>
  );
}

export function reasonText(code: string): string {
  const r = REASONS[code];
  if (!r) return code;
  return currentLanguage() === 'en-US' ? r.en : r.zh;
}

export function OutcomeTag({ outcome, code }: { outcome: Outcome; code: string }) {
  return (
    <Tag color={OUTCOME_COLORS[outcome]} data-testid={`rule-${code}`} data-outcome={outcome}>
      {reasonText(code)}
    </Tag>
  );
}

/** Remote customer search (name, code or phone). */
export function CustomerSelect({
  value,
  onChange,
  placeholder,
  testId,
}: {
  value?: string | null;
  onChange?: (id: string | null, c: CustomerPick | null) => void;
  placeholder?: string;
  testId?: string;
}) {
  const [q, setQ] = useState('');
  const { data, isFetching } = useQuery({
    queryKey: ['orders', 'customer-search', q],
    queryFn: () => jsonFetch<{ items: CustomerPick[] }>(`/api/customers/search${queryString({ q })}`),
    staleTime: 10_000,
  });
  const items = data?.items ?? [];
  return (
    <Select
      showSearch
      allowClear
      value={value ?? undefined}
      placeholder={placeholder}
      filterOption={false}
      onSearch={setQ}
      loading={isFetching}
      data-testid={testId}
      style={{ minWidth: 280 }}
      options={items.map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }))}
      onChange={(id: string | undefined) => onChange?.(id ?? null, items.find((c) => c.id === id) ?? null)}
    />
  );
}

export function useCustomerDetail(id: string | null | undefined) {
  return useQuery({ queryKey: ['orders', 'customer', id], enabled: !!id, queryFn: () => jsonFetch<CustomerPick>(`/api/customers/${id}`) });
}
