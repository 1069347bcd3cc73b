/** Printable documents: the pick list in walk order, and the delivery note (送货单) with lines, lots and a signature box. */
import bwipjs from 'bwip-js';
import { renderPdf } from './deps.js';
import type { PickListDetail } from './picking.service.js';
import type { ShipmentDetail } from './shipments.service.js';

type Col = { title: string; width: number; value: (i: number) => string; align?: 'left' | 'right' };

function table(doc: PDFKit.PDFDocument, cols: Col[], rows: number): void {
  const left = doc.page.margins.left;
  const line = (y: number) =>
    doc
      .moveTo(left, y)
      .lineTo(left + cols.reduce((a, c) => a + c.width, 0), y)
      .stroke('#999');
  let y = doc.y;
  let x = left;
  doc.fontSize(9);
  for (const c of cols) {
    doc.text(c.title, x + 2, y + 3, { width: c.width - 4, align: c.align ?? 'left' });
    x += c.width;
  }
  y += 18;
  line(y);
  for (let i = 0; i < rows; i++) {
    if (y > doc.page.height - doc.page.margins.bottom - 40) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    x = left;
    let h = 16;
    for (const c of cols) {
      h = Math.max(h, doc.heightOfString(c.value(i), { width: c.width - 4 }) + 6);
    }
    for (const c of cols) {
      doc.text(c.value(i), x + 2, y + 3, { width: c.width - 4, align: c.align ?? 'left' });
      x += c.width;
    }
    y += h;
    line(y);
  }
  doc.y = y + 10;
  doc.x = left;
}

/** The pick list as the picker walks it: bin, product, lot, expiry, quantity, and boxes to tick and write the picked quantity. */
export function pickListPdf(pl: PickListDetail, en: boolean): Promise<Buffer> {
  return renderPdf((doc) => {
    doc.fontSize(16).text(en ? `Pick list ${pl.number}` : `拣货单 ${pl.number}`);
    doc
      .fontSize(10)
      .text(`${en ? 'Orders' : '订单'}: ${pl.orderNumbers.join(', ')}`)
      .text(`${en ? 'Made by' : '创建人'}: ${pl.createdBy}  ${pl.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`)
      .moveDown();
    const l = pl.lines;
    table(
      doc,
      [
        { title: '#', width: 26, value: (i) => String(l[i]!.seq) },
        { title: en ? 'Bin' : '库位', width: 70, value: (i) => `${l[i]!.warehouseCode}/${l[i]!.locationCode}` },
        { title: en ? 'Order' : '订单', width: 90, value: (i) => l[i]!.orderNumber },
        { title: en ? 'Product' : '产品', width: 110, value: (i) => `${l[i]!.productCode} ${l[i]!.productName}` },
        { title: en ? 'Lot' : '批次', width: 90, value: (i) => l[i]!.lotCode },
        { title: en ? 'Expires' : '到期', width: 56, value: (i) => l[i]!.expiryDate },
        { title: en ? 'Qty' : '应拣', width: 40, value: (i) => `${l[i]!.quantity}`, align: 'right' },
        { title: en ? 'Picked' : '实拣', width: 33, value: (i) => l[i]!.pickedQuantity ?? '' },
      ],
      l.length,
    );
    doc.fontSize(10).text(en ? 'Picker: ____________    Checked by: ____________' : '拣货人:____________    复核人:____________');
  });
}

/** The delivery note (送货单): lines with lots and quantities (actual weights when weighed), packages, and the receiver's signature box. */
export function deliveryNotePdf(s: ShipmentDetail, en: boolean): Promise<Buffer> {
  return renderPdf((doc) => {
    doc.fontSize(16).text(en ? `Delivery note ${s.number}` : `送货单 ${s.number}`);
    doc
      .fontSize(10)
      .text(`${en ? 'Order' : '订单'}: ${s.orderNumber}    ${en ? 'Customer' : '客户'}: ${s.customerName}`)
      .text(
        `${en ? 'Carrier' : '承运商'}: ${s.carrierName ?? '—'}    ${en ? 'Tracking' : '运单号'}: ${s.trackingNumber ?? '—'}${s.driver ? `    ${en ? 'Driver' : '司机'}: ${s.driver} ${s.vehicle ?? ''}` : ''}`,
      )
      .text(s.coldChain ? `${en ? 'Keep at' : '储运温度'}: ${s.tempMinC ?? '-'} – ${s.tempMaxC ?? '-'} °C` : '')
      .moveDown();
    const l = s.lines;
    table(
      doc,
      [
        { title: '#', width: 26, value: (i) => String(l[i]!.lineNo) },
        { title: en ? 'Product' : '产品', width: 150, value: (i) => l[i]!.productName },
        { title: en ? 'Lots' : '批次', width: 150, value: (i) => l[i]!.lots.map((x) => `${x.lotCode} × ${x.quantity}`).join('\n') },
        { title: en ? 'Quantity' : '数量', width: 70, value: (i) => `${l[i]!.nominalQuantity} ${l[i]!.unit}`, align: 'right' },
        { title: en ? 'Actual kg' : '实重(kg)', width: 60, value: (i) => l[i]!.actualKg ?? '', align: 'right' },
        { title: en ? 'Received' : '实收', width: 59, value: () => '' },
      ],
      l.length,
    );
    doc.fontSize(9).text(`${en ? 'Packages' : '包裹'}: ${s.packages.map((p) => `(00)${p.sscc} ${p.packageType}`).join('; ') || '—'}`);
    doc.moveDown(2);
    const y = doc.y;
    doc.rect(doc.page.margins.left, y, 515, 70).stroke('#333');
    doc.fontSize(10).text(en ? 'Received in good order — receiver’s signature, date and time:' : '货物已验收无误 —— 收货人签字、日期与时间:', doc.page.margins.left + 8, y + 8);
    if (s.receiver) doc.text(`${s.receiver}  ${s.deliveredAt?.toISOString().slice(0, 16).replace('T', ' ') ?? ''} UTC`, doc.page.margins.left + 8, y + 40);
  });
}

/** GS1-128 logistic labels, one page (100 × 150 mm) per package: SSCC with AI (00), order, customer, contents, temperature. */
export function ssccLabelsPdf(s: ShipmentDetail, en: boolean): Promise<Buffer> {
  const mm = 72 / 25.4;
  return renderPdf(
    async (doc) => {
      for (const [i, p] of s.packages.entries()) {
        if (i > 0) doc.addPage();
        const line = s.lines.find((l) => l.orderLineId === p.orderLineId);
        const barcode = await bwipjs.toBuffer({ bcid: 'gs1-128', text: `(00)${p.sscc}`, scale: 3, height: 18, includetext: true, textxalign: 'center' } as Parameters<
          typeof bwipjs.toBuffer
        >[0]);
        doc.fontSize(11).text(`${en ? 'Ship to' : '收货方'}: ${s.customerName}`);
        doc.text(`${en ? 'Order' : '订单'}: ${s.orderNumber}   ${en ? 'Shipment' : '发运单'}: ${s.number}`);
        doc.text(`${en ? 'Contents' : '内容'}: ${line?.productName ?? ''} × ${p.quantity}${p.actualKg ? `  (${p.actualKg} kg)` : ''}`);
        doc.text(`${en ? 'Lots' : '批次'}: ${line?.lots.map((x) => x.lotCode).join(', ') ?? ''}`);
        if (s.coldChain) doc.fontSize(14).text(`${en ? 'Keep at' : '冷链储运'} ${s.tempMinC ?? '-'} – ${s.tempMaxC ?? '-'} °C`);
        doc.fontSize(10).text(`${en ? 'Package' : '包裹'} ${p.seq}/${s.packages.length} · ${p.packageType}`);
        doc.moveDown();
        doc.image(barcode, { fit: [90 * mm, 40 * mm], align: 'center' });
      }
    },
    { size: [100 * mm, 150 * mm], margin: 5 * mm },
  );
}
