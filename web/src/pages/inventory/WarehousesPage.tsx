import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../app/auth';
import { applyServerErrors } from '../../app/problem';
import { useInventoryT } from './i18n';
import { jsonFetch, ZONES, type Location, type Warehouse } from './kit';
import { useLocations, useWarehouses } from './pickers';

/** Warehouses with their temperature zones and locations (bins). */
export function WarehousesPage() {
  const it = useInventoryT();
  const { can } = useAuth();
  const warehouses = useWarehouses();
  const [selected, setSelected] = useState<Warehouse | null>(null);
  const locations = useLocations(selected?.id);
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
            dataSource={locations.data?.items ?? []}
            columns={[
              { title: it('field.location'), dataIndex: 'code' },
              { title: it('field.zone'), dataIndex: 'zone', render: (v: string) => it(`zone.${v as 'chilled'}`) },
            ]}
          />
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
