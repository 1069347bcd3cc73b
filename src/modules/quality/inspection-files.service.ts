import crypto from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { assertCan, type Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { QualityErrors } from './quality.errors.js';
import { getInspection } from './quality.service.js';
import { inspectionFiles, type FileKind } from './quality.tables.js';

/** Largest photo or lab report accepted (bytes). */
export const MAX_INSPECTION_FILE_BYTES = 10 * 1024 * 1024;

export type InspectionFileInfo = {
  id: string;
  inspectionId: string;
  kind: FileKind;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  createdAt: Date;
};

const IMAGES = ['image/jpeg', 'image/png', 'image/webp'] as const;
const ALLOWED: Record<FileKind, readonly string[]> = { photo: IMAGES, lab_report: [...IMAGES, 'application/pdf'] };

/** The type of a file from its first bytes (the client's mimetype is not trusted): JPEG, PNG, WebP, PDF, or null. */
export function sniffType(data: Buffer): string | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (data.length >= 5 && data.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

const GENERIC = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** A file name safe to store and show: no path, no control characters, at most 200 characters. */
function cleanName(name: string, contentType: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return base || `file.${contentType === 'application/pdf' ? 'pdf' : contentType.slice(6)}`;
}

/**
 * Attaches an uploaded photo or lab report to an inspection (quality:inspect). Append-only and audited; a signed
 * inspection still takes files (evidence often arrives after signing, e.g. the lab's PDF), none is replaced.
 */
export async function uploadInspectionFile(
  db: Db,
  actor: Actor,
  inspectionId: string,
  input: { kind: FileKind; filename: string; contentType: string; data: Buffer },
): Promise<InspectionFileInfo> {
  assertCan(actor, 'quality:inspect');
  const inspection = await getInspection(db, inspectionId);
  if (!input.data.length) throw new DomainError(QualityErrors.QUALITY_FILE_EMPTY, {}, [{ field: 'file', code: QualityErrors.QUALITY_FILE_EMPTY }]);
  if (input.data.length > MAX_INSPECTION_FILE_BYTES) throw tooLarge();
  const sniffed = sniffType(input.data);
  const declared = input.contentType.toLowerCase().split(';')[0]!.trim();
  if (!sniffed || !ALLOWED[input.kind].includes(sniffed) || (!GENERIC.has(declared) && declared !== sniffed && !(declared === 'image/jpg' && sniffed === 'image/jpeg')))
    throw new DomainError(QualityErrors.QUALITY_FILE_TYPE_NOT_ALLOWED, {}, [{ field: 'file', code: QualityErrors.QUALITY_FILE_TYPE_NOT_ALLOWED }]);
  const sha256 = crypto.createHash('sha256').update(input.data).digest('hex');
  const [row] = await db
    .insert(inspectionFiles)
    .values({
      inspectionId: inspection.id,
      kind: input.kind,
      filename: cleanName(input.filename, sniffed),
      contentType: sniffed,
      size: input.data.length,
      sha256,
      data: input.data,
      uploadedBy: actor.username,
    })
    .returning(infoColumns);
  await recordAudit(db, actor, {
    action: 'quality.inspection.file.upload',
    entity: 'quality_inspection',
    entityId: inspection.id,
    after: { fileId: row!.id, kind: row!.kind, filename: row!.filename, contentType: sniffed, size: row!.size, sha256, inspectionStatus: inspection.status },
  });
  return row!;
}

export function tooLarge(): DomainError {
  const maxMb = MAX_INSPECTION_FILE_BYTES / 1024 / 1024;
  return new DomainError(QualityErrors.QUALITY_FILE_TOO_LARGE, { maxMb }, [{ field: 'file', code: QualityErrors.QUALITY_FILE_TOO_LARGE, params: { maxMb } }]);
}

const infoColumns = {
  id: inspectionFiles.id,
  inspectionId: inspectionFiles.inspectionId,
  kind: inspectionFiles.kind,
  filename: inspectionFiles.filename,
  contentType: inspectionFiles.contentType,
  size: inspectionFiles.size,
  sha256: inspectionFiles.sha256,
  uploadedBy: inspectionFiles.uploadedBy,
  createdAt: inspectionFiles.createdAt,
};

/** The files of an inspection, oldest first, without their bytes. */
export async function filesOfInspection(db: Db, inspectionId: string): Promise<InspectionFileInfo[]> {
  return db.select(infoColumns).from(inspectionFiles).where(eq(inspectionFiles.inspectionId, inspectionId)).orderBy(asc(inspectionFiles.createdAt), asc(inspectionFiles.id));
}

/** One file with its bytes, or QUALITY_FILE_NOT_FOUND when it is not a file of that inspection. */
export async function getInspectionFile(db: Db, inspectionId: string, fileId: string): Promise<InspectionFileInfo & { data: Buffer }> {
  const [row] = await db
    .select({ ...infoColumns, data: inspectionFiles.data })
    .from(inspectionFiles)
    .where(and(eq(inspectionFiles.id, fileId), eq(inspectionFiles.inspectionId, inspectionId)));
  if (!row) throw new DomainError(QualityErrors.QUALITY_FILE_NOT_FOUND);
  return row;
}
