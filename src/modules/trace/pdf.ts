import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);

/** Noto Sans SC (TTF, from @expo-google-fonts/noto-sans-sc) so Chinese renders in PDFs; pdfkit embeds a subset. */
export const CJK_FONT_PATH: string = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

/** Renders a PDF with the CJK font registered as the default. */
export function renderPdf(draw: (doc: PDFKit.PDFDocument) => void | Promise<void>, opts: PDFKit.PDFDocumentOptions = { size: 'A4', margin: 40 }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ ...opts, info: { Title: 'AgriOMS', Producer: 'AgriOMS' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('cjk', CJK_FONT_PATH);
    doc.font('cjk');
    Promise.resolve(draw(doc))
      .then(() => doc.end())
      .catch(reject);
  });
}
