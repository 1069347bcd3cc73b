import { DownloadOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Space, Table, type TableColumnType, type TableProps } from 'antd';
import { useState, type Key, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { downloadFile, fetchList, serializeQuery } from '../api';
import type { ListFilters, ListParams, ListPath, ListRow } from '../api-models';
import { filtersFromUrl, type UrlFilters } from '../list-url';
import { problemMessage, showError, toProblem } from '../problem';

export type SortOrder = 'ascend' | 'descend';
export type SortItem = { field: string; order: SortOrder };

/** `-createdAt,username` → [{createdAt, descend}, {username, ascend}] */
export function parseSort(sort: string | undefined): SortItem[] {
  if (!sort) return [];
  return sort
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => (part.startsWith('-') ? { field: part.slice(1), order: 'descend' } : { field: part, order: 'ascend' }));
}

export function formatSort(items: readonly SortItem[]): string | undefined {
  if (items.length === 0) return undefined;
  return items.map(({ field, order }) => (order === 'descend' ? `-${field}` : field)).join(',');
}

/** Query key prefix of a list endpoint; invalidate it after writes to refresh the page. */
export function listQueryKey(endpoint: ListPath) {
  return ['list', endpoint] as const;
}

/** An antd column plus the server field it sorts by (which makes it sortable). */
export type ListColumn<T> = TableColumnType<T> & { sortField?: string };

type QueryValues = Record<string, unknown>;

/** Drops empty values so the URL carries only real filters; trims text. */
function compactQuery(values: QueryValues): QueryValues {
  const result: QueryValues = {};
  for (const [key, raw] of Object.entries(values)) {
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    result[key] = value;
  }
  return result;
}

type KeywordForm = { q?: string };

type BaseProps<P extends ListPath, TForm extends object> = {
  /** List endpoint; exports go to `${endpoint}/export.xlsx` with the same query. */
  endpoint: P;
  columns: ListColumn<ListRow<P>>[];
  rowKey: (keyof ListRow<P> & string) | ((row: ListRow<P>) => string);
  title?: ReactNode;
  /** The keyword box (`q`); pass false for lists without one. */
  keyword?: false | { placeholder?: string };
  /** <Form.Item name="…"> elements rendered after the keyword box. */
  filters?: ReactNode;
  initialValues?: Partial<TForm & KeywordForm>;
  /** Filters read from the page's URL query on opening (a link such as `/orders?status=needs_confirmation`), over `initialValues`. */
  urlFilters?: UrlFilters;
  /** e.g. `-createdAt`; same syntax as the API's `sort` parameter. */
  defaultSort?: string;
  defaultPageSize?: number;
  /** Buttons placed before Export (e.g. "New"). */
  toolbar?: ReactNode;
  exportable?: boolean;
  tableProps?: Omit<TableProps<ListRow<P>>, 'columns' | 'dataSource' | 'rowKey' | 'pagination' | 'onChange' | 'loading'>;
};

/** `toQuery` may be omitted only when the form values already are the endpoint's filters. */
type FilterMapping<P extends ListPath, TForm extends object> = [TForm] extends [ListFilters<P>]
  ? { toQuery?: (values: TForm) => ListFilters<P> }
  : { toQuery: (values: TForm) => ListFilters<P> };

export type ListPageProps<P extends ListPath, TForm extends object = ListFilters<P>> = BaseProps<P, TForm> & FilterMapping<P, TForm>;

const PAGE_SIZES = [10, 20, 50, 100, 200];

/**
 * ProTable-style list screen over one list endpoint: search form, server-side
 * sorting and pagination, and an Excel export of the same query.
 */
export function ListPage<P extends ListPath, TForm extends object = ListFilters<P>>(props: ListPageProps<P, TForm>) {
  const { endpoint, columns, rowKey, title, keyword = {}, filters, defaultSort, defaultPageSize = 20, toolbar, exportable = true, tableProps, toQuery, urlFilters } = props;
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  // The filters the page opened with: its own defaults, then those its URL carries (read once, on opening).
  const [initialValues] = useState(() => ({ ...props.initialValues, ...filtersFromUrl(searchParams, urlFilters) }) as Partial<TForm & KeywordForm>);
  const [form] = Form.useForm<TForm & KeywordForm>();
  const [applied, setApplied] = useState<Partial<TForm & KeywordForm>>(initialValues);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(defaultPageSize);
  const [sort, setSort] = useState<SortItem[]>(() => parseSort(defaultSort));
  const [exporting, setExporting] = useState(false);

  const { q, ...formFilters } = applied;
  const filterValues = toQuery ? toQuery(formFilters as TForm) : formFilters;
  const filterQuery = compactQuery({ ...filterValues, ...(keyword === false ? {} : { q }) });
  const sortParam = formatSort(sort);
  const query = { ...filterQuery, ...(sortParam ? { sort: sortParam } : {}), page, pageSize };

  const result = useQuery({
    queryKey: [...listQueryKey(endpoint), query],
    queryFn: () => fetchList(endpoint, query as ListFilters<P> & ListParams),
    placeholderData: keepPreviousData,
  });

  const sortFieldByKey = new Map<Key, string>();
  const tableColumns: TableColumnType<ListRow<P>>[] = columns.map(({ sortField, ...column }) => {
    if (!sortField) return column;
    const key = column.key ?? sortField;
    sortFieldByKey.set(key, sortField);
    const active = sort[0]?.field === sortField ? sort[0].order : null;
    return { ...column, key, sorter: true, sortOrder: active };
  });

  const onTableChange: TableProps<ListRow<P>>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const first = Array.isArray(sorter) ? sorter[0] : sorter;
      const field = first?.columnKey !== undefined ? sortFieldByKey.get(first.columnKey) : undefined;
      setSort(field && first.order ? [{ field, order: first.order }] : []);
      setPage(1);
      return;
    }
    const nextSize = pagination.pageSize ?? pageSize;
    setPage(nextSize === pageSize ? (pagination.current ?? 1) : 1);
    setPageSize(nextSize);
  };

  const search = (values: TForm & KeywordForm) => {
    if (JSON.stringify(values) === JSON.stringify(applied)) void result.refetch();
    setApplied(values);
    setPage(1);
  };

  const reset = () => {
    form.resetFields();
    setApplied(initialValues);
    setSort(parseSort(defaultSort));
    setPage(1);
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const queryString = serializeQuery({ ...filterQuery, ...(sortParam ? { sort: sortParam } : {}) });
      const name = endpoint.split('/').filter(Boolean).pop() ?? 'export';
      await downloadFile(`${endpoint}/export.xlsx${queryString ? `?${queryString}` : ''}`, `${name}.xlsx`);
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const hasSearchForm = keyword !== false || filters !== undefined;
  const data = result.data;

  return (
    <Flex vertical gap="middle">
      {hasSearchForm && (
        <Card size="small">
          <Form<TForm & KeywordForm> form={form} layout="inline" initialValues={initialValues} onFinish={search} style={{ rowGap: 8 }} data-testid="list-search">
            {keyword !== false && (
              <Form.Item name="q">
                <Input allowClear prefix={<SearchOutlined />} placeholder={keyword.placeholder ?? t('list.keywordPlaceholder')} style={{ width: 240 }} />
              </Form.Item>
            )}
            {filters}
            <Form.Item>
              <Space>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                  {t('list.search')}
                </Button>
                <Button onClick={reset}>{t('list.reset')}</Button>
              </Space>
            </Form.Item>
          </Form>
        </Card>
      )}
      <Card
        size="small"
        title={title}
        extra={
          <Space>
            {toolbar}
            {exportable && (
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="list-export">
                {t('list.export')}
              </Button>
            )}
            <Button
              icon={<ReloadOutlined />}
              aria-label={t('list.refresh')}
              title={t('list.refresh')}
              loading={result.isFetching && !result.isPending}
              onClick={() => void result.refetch()}
            />
          </Space>
        }
      >
        {result.isError && <Alert type="error" showIcon title={problemMessage(toProblem(result.error))} style={{ marginBottom: 12 }} />}
        <Table<ListRow<P>>
          size="middle"
          scroll={{ x: 'max-content' }}
          {...tableProps}
          rowKey={rowKey}
          columns={tableColumns}
          dataSource={data?.items ?? []}
          loading={result.isFetching}
          onChange={onTableChange}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (total) => t('list.total', { count: total }),
          }}
        />
      </Card>
    </Flex>
  );
}
