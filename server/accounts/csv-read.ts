import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { fieldKey } from '../../engine/accounts/custom-fields.js';
import type { ImportIssue } from '../../engine/accounts/import-report.js';
import { DomainError } from '../errors.js';
import { utf8Check } from './utf8-check.js';

/** The largest CSV body an import accepts. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export type CellKind = 'text' | 'number' | 'boolean';

/** A column the import understands: an account or contact property, or a custom field, by its own name. */
export interface CsvColumn {
  name: string;
  kind: CellKind;
  custom?: boolean;
}

export interface CsvRow {
  /** Spreadsheet numbering: the header is row 1. */
  row: number;
  /** Trimmed cells by column name, for the columns the file has; '' for an empty cell. */
  cells: Map<string, string>;
  /** Problems with the row's shape (cell count, values under a column without a header). */
  issues: ImportIssue[];
}

/** How a column is written in messages about a column the file does not have: snake_case, like most exports. */
export const snakeName = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const tooLarge = (maxBytes: number) =>
  new DomainError(
    'too_large',
    'body_too_large',
    `The file is larger than ${+(maxBytes / 1024 / 1024).toFixed(2)} MB; split it into smaller files (imports are idempotent)`,
  );

// A NUL byte is never text in a UTF-8 CSV (PostgreSQL cannot even store one); most often the file is UTF-16,
// as some spreadsheet exports write it. Said plainly instead of importing garbage or failing in the database.
const nulByte = () =>
  new DomainError(
    'invalid',
    'invalid_csv',
    'Nothing was imported: the file contains NUL bytes, so it is not UTF-8 text (an export saved as UTF-16 or a binary file?); save it as "CSV UTF-8"',
  );

function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) return done(tooLarge(maxBytes));
      done(chunk.includes(0) ? nulByte() : null, chunk);
    },
  });
}

export interface Header {
  /** Per position in the file: the column it holds, or null for a column without a header. */
  positions: (CsvColumn | null)[];
  /** Column name → the header as the file writes it, for messages. */
  written: Map<string, string>;
}

function readHeader(cells: string[], columns: CsvColumn[], required: string[], what: string): Header {
  const byKey = new Map(columns.map((column) => [fieldKey(column.name), column]));
  const written = new Map<string, string>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  const positions = cells.map((raw) => {
    const text = raw.trim();
    if (text === '') return null;
    const column = byKey.get(fieldKey(text));
    if (!column) unknown.push(text);
    else if (written.has(column.name)) repeated.push(`'${written.get(column.name)}' and '${text}'`);
    else written.set(column.name, text);
    return column ?? null;
  });
  const problems: string[] = [];
  if (unknown.length > 0) {
    const hint =
      unknown.length === 1 && /[;\t]/.test(unknown[0]!)
        ? ' (the file seems to separate columns with ";" or tabs; save it as comma-separated CSV)'
        : '';
    problems.push(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}${hint}`);
  }
  if (repeated.length > 0) problems.push(`the same column twice: ${repeated.join(', ')}`);
  const missing = required.filter((name) => !written.has(name));
  if (missing.length > 0) problems.push(`no ${missing.map((m) => `'${snakeName(m)}'`).join(' or ')} column`);
  if (problems.length > 0) {
    const known = columns.filter((c) => !c.custom).map((c) => snakeName(c.name));
    const custom = columns.filter((c) => c.custom).map((c) => c.name);
    throw new DomainError(
      'invalid',
      'invalid_columns',
      `Nothing was imported: the header has ${problems.join('; ')}. ${what} columns: ${known.join(', ')}` +
        (custom.length > 0 ? `; custom fields: ${custom.join(', ')}` : '; no custom fields are declared') +
        ' (snake_case or camelCase).',
      [
        ...unknown.map((column) => ({
          path: column,
          code: 'unknown_column',
          message: 'is neither a built-in column nor a declared custom field',
        })),
        ...missing.map((name) => ({ path: snakeName(name), code: 'missing_column', message: 'is required' })),
      ],
    );
  }
  return { positions, written };
}

/**
 * Streams a CSV file row by row to `onRow`: no more than one row is held at a time. The header is checked first —
 * an unknown, repeated or missing column stops the import before any row is read. A file that is not CSV, or is
 * larger than `maxBytes`, stops it with a 400 or 413.
 */
export async function readCsv(
  source: Readable,
  options: { columns: CsvColumn[]; required: string[]; what: string; maxBytes: number },
  onRow: (row: CsvRow, header: Header) => void,
): Promise<Header> {
  let header: Header | undefined;
  let index = 0;
  // Our own verdict (a bad header) wins over what the streams report while they are torn down because of it.
  let verdict: unknown;
  const limit = byteLimit(options.maxBytes);
  // Piped, not part of the pipeline: a failure must not destroy the request, or the client would see a reset
  // connection instead of the 413 (the route closes the connection once it has answered).
  source.on('error', (error) => limit.destroy(error));
  source.pipe(limit);
  try {
    // Bytes that are not UTF-8 stop the file before the parser turns them into replacement characters.
    const csv = parse({ bom: true, relax_column_count: true });
    await pipeline(limit, utf8Check(), csv, async (records: AsyncIterable<string[]>) => {
      for await (const cells of records) {
        index++;
        if (!header) {
          try {
            header = readHeader(cells, options.columns, options.required, options.what);
          } catch (error) {
            verdict = error;
            throw error;
          }
          continue;
        }
        if (cells.every((cell) => cell.trim() === '')) continue;
        const row: CsvRow = { row: index, cells: new Map(), issues: [] };
        if (cells.length !== header.positions.length) {
          row.issues.push({
            column: null,
            message: `has ${cells.length} cells but the header has ${header.positions.length} columns`,
          });
        }
        cells.forEach((cell, position) => {
          const column = header!.positions[position];
          if (column) row.cells.set(column.name, cell.trim());
          else if (cell.trim() !== '' && position < header!.positions.length) {
            row.issues.push({ column: `column ${position + 1}`, message: 'has a value but no header' });
          }
        });
        onRow(row, header);
      }
    });
  } catch (failure) {
    source.unpipe(limit);
    const error = verdict ?? failure;
    if (error instanceof CsvError) {
      throw new DomainError(
        'invalid',
        'invalid_csv',
        `Nothing was imported: the file is not valid CSV — ${error.message}`,
      );
    }
    throw error;
  }
  if (!header) {
    throw new DomainError(
      'invalid',
      'invalid_csv',
      `Nothing was imported: the file is empty; its first line must name the columns, e.g. ${options.required.map(snakeName).join(',')}`,
    );
  }
  return header;
}

/** A cell as the schema expects it; text the kind cannot read is passed on, for the schema to name the problem. */
export function cellValue(kind: CellKind, text: string): unknown {
  if (kind === 'number') {
    return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
  }
  if (kind === 'boolean') {
    const word = text.toLowerCase();
    if (['true', 'yes', 'y', '1'].includes(word)) return true;
    if (['false', 'no', 'n', '0'].includes(word)) return false;
    return text;
  }
  return text;
}

/**
 * Why a number cell cannot be read, when it holds digits written some other way ("4.200,50", "1,234", "4200 €"):
 * a decimal comma and a thousands separator look alike, so the import says so rather than guess which it is.
 * Undefined when the cell reads as a number, or has no digits (the schema's own message says enough then).
 */
export function numberFormatProblem(text: string): string | undefined {
  if (typeof cellValue('number', text) === 'number' || !/\d/.test(text)) return undefined;
  return (
    `'${text}' is not a number as CSV files write them: use a point for decimals, and no thousands separators, ` +
    'currency signs or units (e.g. 4200.50); Stayflow does not guess whether a comma is a decimal or a thousands separator'
  );
}
