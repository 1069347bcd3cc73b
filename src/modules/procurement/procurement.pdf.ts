import type { Locale } from '../../platform/i18n/locale.js';
import { renderPdf } from '../trace/index.js';
import type { PoDetail, SupplierDetail } from './procurement.service.js';

const yuan = (fen: number): string => (fen / 100).toFixed(2);

/** The purchase order as sent to the supplier: header, supplier, lines with prices in yuan, total. */
export function purchaseOrderPdf(po: PoDetail, supplier: SupplierDetail, warehouseName: string, locale: Locale): Promise<Buffer> {
  const en = locale === 'en-US';
  const l = (zh: string, e: string) => (en ? e : zh);
  return renderPdf((doc) => {
    doc.fontSize(18).text(l('采购订单', 'Purchase order'), { align: 'center' });
    doc.moveDown(0.5).fontSize(10);
    doc.text(`${l('单号', 'Number')}: ${po.code}`);
    doc.text(`${l('供应商', 'Supplier')}: ${supplier.name} (${supplier.code})`);
    if (supplier.contactName || supplier.phone) doc.text(`${l('联系人', 'Contact')}: ${supplier.contactName ?? ''} ${supplier.phone ?? ''}`);
    if (supplier.address) doc.text(`${l('地址', 'Address')}: ${supplier.address}`);
    doc.text(`${l('收货仓库', 'Deliver to')}: ${warehouseName}`);
    doc.text(`${l('预计到货', 'Expected on')}: ${po.expectedDate}`);
    doc.moveDown();
    const cols = [40, 70, 250, 330, 380, 450];
    const header = [l('行', '#'), l('物料', 'Material'), l('数量', 'Qty'), l('单位', 'Unit'), l('单价(元)', 'Price (CNY)'), l('金额(元)', 'Amount (CNY)')];
    let y = doc.y;
    header.forEach((h, i) => doc.text(h, cols[i]!, y, { width: (cols[i + 1] ?? 555) - cols[i]! - 4 }));
    y = doc.y + 4;
    doc.moveTo(40, y).lineTo(555, y).stroke();
    for (const line of po.lines) {
      y += 6;
      const cells = [String(line.lineNo), `${line.productCode} ${line.productName}`, line.quantity, line.unit, yuan(line.unitPriceFen), yuan(line.amountFen)];
      cells.forEach((c, i) => doc.text(c, cols[i]!, y, { width: (cols[i + 1] ?? 555) - cols[i]! - 4 }));
      y = doc.y;
    }
    y += 4;
    doc.moveTo(40, y).lineTo(555, y).stroke();
    doc.text(`${l('合计', 'Total')}: ${yuan(po.totalFen)} ${l('元', 'CNY')}`, 40, y + 8, { align: 'right', width: 515 });
    if (po.note) doc.moveDown().text(`${l('备注', 'Note')}: ${po.note}`, 40);
  });
}
