import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useAuth } from '../../app/auth';
import { useConfirm } from '../../app/confirm';
import { useMessage } from '../../app/feedback';
import { applyServerErrors, showError } from '../../app/problem';
import { useInventoryT } from './i18n';
import { jsonFetch, queryString, ZONES, type Location, type Page, type Warehouse } from './kit';
import { useWarehouses } from './pickers';

/** Warehouses with their temperature zones and locations (bins). */
export function WarehousesPage() {
  const it = useInventoryT();
  const { can } = useAuth();
  const warehouses = useWarehouses();
  const [selected, setSelected] = useState<Warehouse | null>(null);
  // The first warehouse's bins show at once; disabled bins stay listed (they can be enabled again).
  useEffect(() => {
    if (!selected && warehouses.data?.items[0]) setSelected(warehouses.data.items[0]);
  }, [selected, warehouses.data]);
  const locations = useQuery({
    queryKey: ['inventory', 'locations', 'all', selected?.id ?? ''],
    enabled: Boolean(selected),
    queryFn: () => jsonFetch<Page<Location>>(`/api/inventory/locations${queryString({ pageSize: 200, warehouseId: selected?.id })}`),
  });
  const message = useMessage();
  const [confirm, confirmHolder] = useConfirm();
  const toggle = async (l: Location) => {
    const disabling = l.active;
    if (disabling) {
      const ok = await confirm({
        title: it('wh.disableTitle', { code: l.code }),
        consequence: it('wh.disableConfirm', { code: l.code }),
        okText: it('wh.disable'),
        testId: 'location-disable',
      });
      if (!ok) return;
    }
    try {
      await jsonFetch(`/api/inventory/locations/${l.id}/${disabling ? 'disable' : 'enable'}`, { method: 'POST', body: {} });
      void message.success(it(disabling ? 'wh.disabled' : 'wh.enabled', { code: `${selected?.code ?? ''} / ${l.code}` }));
      void locations.refetch();
      void warehouses.refetch();
    } catch (error) {
      showError(error);
    }
  };
  const [modal, setModal] = useState<'warehouse' | 'location' | null>(null);
  const [form] = Form.useForm<{ code: string; name?: string; tempZones?: string[]; zone?: string }>();
  const manage = can('warehouses:manage');

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={it('warehouses')}
        extra={
          manage && (
            <Button icon={<PlusOutlined />} onClick={() => setModal('warehouse')}>
              {it('wh.createWarehouse')}
            </Button>
          )
        }
      >
        <Table<Warehouse>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={warehouses.data?.items ?? []}
          onRow={(w) => ({ onClick: () => setSelected(w), style: { cursor: 'pointer', background: selected?.id === w.id ? '#e6f4ff' : undefined } })}
          columns={[
            { title: it('field.code'), dataIndex: 'code' },
            { title: it('field.name'), dataIndex: 'name' },
            { title: it('field.tempZones'), dataIndex: 'tempZones', render: (z: string[]) => z.map((x) => <Tag key={x}>{it(`zone.${x as 'chilled'}`)}</Tag>) },
            { title: it('wh.locationCount'), dataIndex: 'locationCount' },
          ]}
        />
      </Card>
      {selected && (
        <Card
          title={`${selected.code} ${selected.name}`}
          extra={
            manage && (
              <Button icon={<PlusOutlined />} onClick={() => setModal('location')}>
                {it('wh.createLocation')}
              </Button>
            )
          }
        >
          <Table<Location>
            rowKey="id"
            size="small"
            pagination={false}
            data-testid="location-table"
            dataSource={locations.data?.items ?? []}
            columns={[
              { title: it('field.location'), dataIndex: 'code' },
              { title: it('field.zone'), dataIndex: 'zone', render: (v: string) => it(`zone.${v as 'chilled'}`) },
              { title: it('wh.state'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">{it('wh.active')}</Tag> : <Tag>{it('wh.inactive')}</Tag>) },
              ...(manage
                ? [
                    {
                      title: '',
                      key: 'actions',
                      render: (_: unknown, l: Location) => (
                        <Button size="small" type="link" danger={l.active} data-testid={`location-toggle-${l.code}`} onClick={() => void toggle(l)}>
                          {l.active ? it('wh.disable') : it('wh.enable')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {confirmHolder}
        </Card>
      )}
      <Modal
        open={modal !== null}
        title={modal === 'location' ? it('wh.createLocation') : it('wh.createWarehouse')}
        onCancel={() => setModal(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={async (v) => {
            try {
              if (modal === 'warehouse')
                await jsonFetch('/api/inventory/warehouses', { method: 'POST', idempotent: true, body: { code: v.code, name: v.name, tempZones: v.tempZones } });
              else await jsonFetch('/api/inventory/locations', { method: 'POST', idempotent: true, body: { warehouseId: selected?.id, code: v.code, zone: v.zone } });
              void message.success(modal === 'warehouse' ? it('wh.warehouseCreated', { code: v.code }) : it('wh.locationCreated', { code: `${selected?.code ?? ''} / ${v.code}` }));
              setModal(null);
              form.resetFields();
              void warehouses.refetch();
              void locations.refetch();
            } catch (error) {
              applyServerErrors(form, error);
            }
          }}
        >
          <Form.Item name="code" label={it('field.code')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          {modal === 'warehouse' ? (
            <>
              <Form.Item name="name" label={it('field.name')} rules={[{ required: true }]}>
                <Input />
              </Form.Item>
              <Form.Item name="tempZones" label={it('field.tempZones')} rules={[{ required: true }]}>
                <Select mode="multiple" options={ZONES.map((z) => ({ value: z, label: it(`zone.${z}`) }))} />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="zone" label={it('field.zone')} rules={[{ required: true }]}>
              <Select options={(selected?.tempZones ?? []).map((z) => ({ value: z, label: it(`zone.${z as 'chilled'}`) }))} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
