import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { businessTime } from '../clock.js';
import { DomainError, defineErrors } from '../errors/domain-error.js';
import type { Locale } from '../i18n/locale.js';

export const ExcelErrors = defineErrors({
  UPLOAD_NOT_XLSX: {
    status: 400,
    zh: '上传的文件不是 Excel 工作簿(.xlsx)。请在 Excel 或 WPS 中“另存为 .xlsx”后重新上传。',
    en: 'The uploaded file is not an Excel workbook (.xlsx). Save it as .xlsx in Excel or WPS and upload it again.',
  },
});

/** The upload is not a readable .xlsx (a CSV, an old .xls, a picture, a damaged file): our message, never the library's. */
function notXlsx(): DomainError {
  return new DomainError(ExcelErrors.UPLOAD_NOT_XLSX, {}, [{ field: 'file', code: ExcelErrors.UPLOAD_NOT_XLSX }]);
}

export type Column<T> = { header: string; key: string; width?: number; value: (row: T) => string | number | boolean | Date | null };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The zone named in the header of a time column. */
export function zoneSuffix(locale?: Locale): string {
  return locale === 'en-US' ? ' (Asia/Shanghai, UTC+8)' : locale === 'zh-CN' ? '(北京时间 UTC+8)' : ' (UTC+8)';
}

/**
 * Writes rows to an .xlsx buffer with a bold, frozen header row. Instants (Date values, ISO timestamps) are written as
 * business time in Asia/Shanghai and their column header names the zone.
 */
export async function toXlsx<T>(sheetName: string, columns: Column<T>[], rows: Iterable<T>, opts: { locale?: Locale } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'AgriOMS';
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  const table: Record<string, unknown>[] = [];
  const timeColumns = new Set<string>();
  for (const row of rows) {
    const values: Record<string, unknown> = {};
    for (const c of columns) {
      const v = c.value(row);
      if (v instanceof Date || (typeof v === 'string' && ISO_INSTANT.test(v))) {
        values[c.key] = businessTime(v instanceof Date ? v : new Date(v));
        timeColumns.add(c.key);
      } else values[c.key] = v;
    }
    table.push(values);
  }
  ws.columns = columns.map((c) => {
    const header = timeColumns.has(c.key) ? `${c.header}${zoneSuffix(opts.locale)}` : c.header;
    return { header, key: c.key, width: c.width ?? Math.max(12, header.length * 2) };
  });
  ws.getRow(1).font = { bold: true };
  for (const values of table) ws.addRow(values);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function sendXlsx(reply: FastifyReply, filename: string, buf: Buffer): FastifyReply {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .send(buf);
}

/**
 * Reads the first worksheet of an .xlsx buffer into header-keyed rows (row numbers kept for error reports). Anything
 * that is not a readable .xlsx throws UPLOAD_NOT_XLSX on the field `file`.
 */
export async function readXlsx(buf: Buffer): Promise<{ headers: string[]; rows: { rowNumber: number; values: Record<string, string> }[] }> {
  // An .xlsx is a zip archive: "PK\x03\x04".
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) throw notXlsx();
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw notXlsx();
  }
  const ws = wb.worksheets[0];
  if (!ws) return { headers: [], rows: [] };
  const headers: string[] = [];
  ws.getRow(1).eachCell((cell, col) => {
    headers[col - 1] = String(cell.text ?? '').trim();
  });
  const rows: { rowNumber: number; values: Record<string, string> }[] = [];
  ws.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const values: Record<string, string> = {};
    let any = false;
    headers.forEach((h, i) => {
      const cell = row.getCell(i + 1);
      const v = cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : String(cell.text ?? '').trim();
      if (v) any = true;
      values[h] = v;
    });
    if (any) rows.push({ rowNumber, values });
  });
  return { headers, rows };
}
