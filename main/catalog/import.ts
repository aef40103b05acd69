/**
 * Imports a camera catalog from JSON or CSV (runtime: Node).
 *
 * Every row is checked on its own. A bad row is reported with its line and field and skipped; the good
 * rows still load. District names are never taken from the file: the kecamatan and kelurahan codes must
 * exist in the Semarang data, and their official names come from there.
 */
import { parse } from 'csv-parse/sync';
import { cleanName } from '../../preload/names.js';
import { z } from 'zod';
import { checkSourceUrl } from '../streams/source-url.js';
import type { Camera } from './camera.js';
import type { Wilayah } from './wilayah.js';
import { CameraId, CameraType } from '../../preload/contract.js';

export interface RowError {
  line: number;
  field: string;
  message: string;
}
export interface ImportResult {
  cameras: Camera[];
  errors: RowError[];
}

const optionalInt = z.preprocess((v) => (v === '' || v === null || v === undefined ? null : typeof v === 'string' ? Number(v) : v), z.number().int().positive().nullable());

function optionalNumber(min: number, max: number) {
  return z.preprocess((v) => (v === '' || v === null || v === undefined ? null : typeof v === 'string' ? Number(v.trim()) : v), z.number({ error: 'must be a number' }).min(min).max(max).nullable());
}

/** The longest camera name kept; longer ones are cut, ending in "…". */
export const CAMERA_NAME_MAX = 120;

const Row = z.object({
  id: CameraId,
  number: z.preprocess((v) => (typeof v === 'string' && v !== '' ? Number(v) : v), z.number().int().positive()),
  // Control characters in a file mean a damaged row: refused. Otherwise the name is cleaned as people
  // will see it (no bidi controls or invisible characters) and a long one cut to 120 characters with
  // "…" (preload/names.ts). HTML stays as typed: the UI renders names as text, never as markup.
  name: z
    .string()
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
    .transform((s) => cleanName(s, CAMERA_NAME_MAX))
    .pipe(z.string().min(1, 'a camera needs a name')),
  type: CameraType,
  kecamatanCode: z.string(),
  kelurahanCode: z.string(),
  rw: optionalInt,
  rt: optionalInt,
  mainUrl: z.string(),
  subUrl: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().nullable()),
  // Optional, added with the map: where the camera stands (WGS 84 degrees) and the street it watches.
  lat: optionalNumber(-90, 90),
  lon: optionalNumber(-180, 180),
  street: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z
      .string()
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
      .transform((s) => cleanName(s, 120) || null)
      .nullable(),
  ),
});

/**
 * Parses RFC 4180 CSV with csv-parse (quoted fields, doubled quotes, CRLF, LF or CR, a BOM, blank lines
 * skipped). Returns rows with the line each starts on, for error messages. Throws CsvError (with
 * `lines`) on a file that is not CSV, such as an unclosed quote.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const records = parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    info: true,
    raw: true,
  }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
  // csv-parse counts the line a record ends on; a quoted field may span lines before it.
  const newlinesInside = (raw: string) =>
    raw
      .replace(/^[\r\n]+/, '')
      .replace(/(\r\n|\n|\r)$/, '')
      .match(/\r\n|\n|\r/g)?.length ?? 0;
  return records.map((r) => ({ line: r.info.lines - newlinesInside(r.raw), cells: r.record }));
}

/** Line (1-based) on which each element of the top-level JSON array starts. */
function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let inString = false;
  let line = 1;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (depth === 1 && expectValue) {
      lines.push(line);
      expectValue = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1 && ch === '[') expectValue = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectValue = true;
  }
  return lines;
}

function validateRows(rows: { line: number; value: unknown }[], wilayah: Wilayah): ImportResult {
  const kecamatan = new Map(wilayah.kecamatan.map((k) => [k.code, k]));
  const kelurahan = new Map(wilayah.kecamatan.flatMap((k) => k.kelurahan.map((l) => [l.code, { ...l, kecamatan: k }] as const)));
  const cameras: Camera[] = [];
  const errors: RowError[] = [];
  const seenIds = new Set<string>();
  const seenNumbers = new Set<number>();
  for (const { line, value } of rows) {
    const parsed = Row.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ line, field: String(issue.path[0] ?? '(row)'), message: issue.message });
      continue;
    }
    const r = parsed.data;
    const fail = (field: string, message: string) => errors.push({ line, field, message });
    const kc = kecamatan.get(r.kecamatanCode);
    const kl = kelurahan.get(r.kelurahanCode);
    const main = checkSourceUrl(r.mainUrl);
    const sub = r.subUrl === null ? null : checkSourceUrl(r.subUrl);
    const before = errors.length;
    if (!kc) fail('kecamatanCode', `unknown kecamatan code "${r.kecamatanCode}"`);
    if (!kl) fail('kelurahanCode', `unknown kelurahan code "${r.kelurahanCode}"`);
    else if (kc && kl.kecamatan.code !== kc.code) fail('kelurahanCode', `kelurahan ${r.kelurahanCode} is not in kecamatan ${r.kecamatanCode}`);
    if (!main.ok) fail('mainUrl', main.reason);
    if (sub && !sub.ok) fail('subUrl', sub.reason);
    if (r.type === 'rt' && (r.rw === null || r.rt === null)) fail(r.rw === null ? 'rw' : 'rt', 'RT cameras need rw and rt numbers');
    if ((r.lat === null) !== (r.lon === null)) fail(r.lat === null ? 'lat' : 'lon', 'a position needs both lat and lon');
    if (seenIds.has(r.id)) fail('id', `duplicate id "${r.id}"`);
    if (seenNumbers.has(r.number)) fail('number', `duplicate camera number ${r.number}`);
    if (errors.length > before || !kc || !kl || !main.ok) continue;
    seenIds.add(r.id);
    seenNumbers.add(r.number);
    cameras.push({
      id: r.id,
      number: r.number,
      name: r.name,
      type: r.type,
      kecamatanCode: kc.code,
      kecamatanName: kc.name,
      kelurahanCode: kl.code,
      kelurahanName: kl.name,
      rw: r.rw,
      rt: r.rt,
      hasSub: sub !== null,
      streams: { main: main.url, sub: sub && sub.ok ? sub.url : null },
      ...(r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : {}),
      ...(r.street ? { street: r.street } : {}),
    });
  }
  return { cameras, errors };
}

export function importCatalogJson(text: string, wilayah: Wilayah): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { cameras: [], errors: [{ line: 1, field: '(file)', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  const list: unknown = Array.isArray(data) ? data : (data as { cameras?: unknown })?.cameras;
  if (!Array.isArray(list)) {
    return { cameras: [], errors: [{ line: 1, field: '(file)', message: 'expected an array of cameras or {"cameras": [...]}' }] };
  }
  // Line numbers are exact for a top-level array; for {"cameras": [...]} they fall back to row order.
  const lines = Array.isArray(data) ? arrayElementLines(text) : [];
  return validateRows(
    (list as unknown[]).map((value, i) => ({ line: lines[i] ?? i + 1, value })),
    wilayah,
  );
}

export const CSV_COLUMNS = ['id', 'number', 'name', 'type', 'kecamatanCode', 'kelurahanCode', 'rw', 'rt', 'mainUrl', 'subUrl', 'lat', 'lon', 'street'] as const;
/** Columns a file may leave out. */
const OPTIONAL_COLUMNS = new Set<string>(['subUrl', 'lat', 'lon', 'street']);

export function importCatalogCsv(text: string, wilayah: Wilayah): ImportResult {
  let rows: { line: number; cells: string[] }[];
  try {
    rows = parseCsv(text);
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === 'number' ? (e as { lines: number }).lines : 1;
    return { cameras: [], errors: [{ line, field: '(file)', message: `not a readable CSV file: ${(e as Error).message}` }] };
  }
  const header = rows.shift();
  if (!header) return { cameras: [], errors: [{ line: 1, field: '(file)', message: 'file is empty' }] };
  const missing = CSV_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.has(c) && !header.cells.includes(c));
  if (missing.length) return { cameras: [], errors: [{ line: header.line, field: missing[0]!, message: `header lacks column(s): ${missing.join(', ')}` }] };
  return validateRows(
    rows.map((r) => ({ line: r.line, value: Object.fromEntries(header.cells.map((h, i) => [h, r.cells[i] ?? ''])) })),
    wilayah,
  );
}
