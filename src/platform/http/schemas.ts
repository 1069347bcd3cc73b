import { z } from 'zod';
import { businessDate, clock } from '../clock.js';
import { FieldCodes } from '../errors/domain-error.js';

const shanghaiToday = (): string => businessDate(clock.now());

// C0 control characters and DEL. NUL breaks both database engines ("invalid byte sequence for encoding UTF8: 0x00");
// the others have no business in a name, code or search term.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// Tab, line feed and carriage return are allowed in multi-line text (notes, remarks, addresses).
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** True when `s` holds a control character; whitespace a `.trim()` would drop (\t \n \r at either end) is not counted. */
export const hasControlChars = (s: string): boolean => CONTROL.test(s.trim());
export const hasControlCharsExceptLines = (s: string): boolean => CONTROL_EXCEPT_LINES.test(s);

/**
 * The one string type for input (query, path and body parameters): no NUL or other control characters
 * (400 FIELD_CONTROL_CHARS naming the field). Chain `.trim()`, `.min()`, `.max()`, `.regex()` as on `z.string()`.
 */
export const safeString = () => z.string().refine((s) => !hasControlChars(s), FieldCodes.FIELD_CONTROL_CHARS);

/** Input text that may span lines (notes, remarks, addresses): tab, line feed and carriage return allowed, other control characters not. */
export const safeMultiline = () => z.string().refine((s) => !hasControlCharsExceptLines(s), FieldCodes.FIELD_CONTROL_CHARS);

/** Dates and timestamps the system accepts: anything outside is a typo (year 0106) or an attack, not business data. */
export const MIN_DATE = '2000-01-01';
export const MAX_DATE = '2100-12-31';
const inDateRange = (s: string): boolean => {
  const day = s.slice(0, 10);
  return day >= MIN_DATE && day <= MAX_DATE;
};

/** A timestamp: ISO 8601 string on the wire (2000-01-01 … 2100-12-31), Date in the service layer. */
export const dateTime = z.codec(z.iso.datetime({ offset: true }).refine(inDateRange, FieldCodes.FIELD_DATE_OUT_OF_RANGE), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

/** A business date YYYY-MM-DD (Asia/Shanghai), 2000-01-01 … 2100-12-31. */
export const businessDay = z.iso.date().refine(inDateRange, FieldCodes.FIELD_DATE_OUT_OF_RANGE);

/** A quantity in a request: a decimal string with at most 3 decimals (the sanity maximum is checked by input-bounds.ts). */
export const quantityString = () =>
  safeString()
    .trim()
    .regex(/^-?\d{1,11}(\.\d{1,3})?$/, FieldCodes.FIELD_INVALID_QUANTITY);
/** A quantity that must be greater than 0 (order lines, receipts, moves, scrap…). */
export const positiveQuantityString = () => quantityString().refine((v) => !/^-?\d{1,11}(\.\d{1,3})?$/.test(v) || Number(v) > 0, FieldCodes.FIELD_QUANTITY_NOT_POSITIVE);

/** A quantity of 0 or more: an order line's 0 means "not known yet" (the order asks to confirm it, it cannot be placed). */
export const nonNegativeQuantityString = () => quantityString().refine((v) => !/^-?\d{1,11}(\.\d{1,3})?$/.test(v) || Number(v) >= 0, FieldCodes.FIELD_QUANTITY_NEGATIVE);

/** A business date that has happened: not after today in Asia/Shanghai (production, harvest, inspection dates). */
export const pastBusinessDay = () => businessDay.refine((d) => d <= shanghaiToday(), FieldCodes.FIELD_DATE_IN_FUTURE);

export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    instance: z.string().optional(),
    /** `field`: the wire path (forms place the message on it); `label`: the field as people know it, in their language. */
    errors: z.array(z.object({ field: z.string(), label: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details');

export const okEmpty = z.null().describe('No content');

/** The 200 of a route that declares none: it sends a file (Excel, PDF, CSV) or other content as it is. */
export const fileResponse = z.unknown().describe('A file (Excel, PDF or CSV) or other content, sent as it is');

/** Standard error responses documented on every route. */
export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
};
