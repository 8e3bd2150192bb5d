/**
 * The enterprise ledger's CSV: reading an upload into checked rows with an error per bad cell, and writing
 * the export. csv-parse / csv-stringify (the `csv` project) do the quoting rules; this file only knows the
 * columns. Files saved by Excel on Chinese Windows are GB18030 rather than UTF-8: both are read.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import {
  RISK_COLOURS,
  SAFETY_CATEGORIES,
  type RiskColour,
  type SafetyCategory,
} from '../../../../shared/src/domain.ts';
import {
  ENTERPRISE_CSV_BOARD,
  ENTERPRISE_CSV_COLUMNS,
  ENTERPRISE_CSV_REQUIRED,
} from '../../../../shared/src/schemas/enterprises.ts';
import type { ResponsibilityBoardBody } from '../../../../shared/src/schemas/enterprises.ts';
import type { ImportRow } from './repo.ts';

export interface CellError {
  /** the line's number in the file, the header being row 1 */
  row: number;
  column: string;
  message: string;
}

/** A row read from the file, its coordinates still in the declared CRS. */
export interface ParsedRow extends ImportRow {
  row: number;
}

/** Chinese names of the four colours, as ledgers write them. */
const RISK_ALIASES: Record<string, RiskColour> = { 红: 'red', 橙: 'orange', 黄: 'yellow', 蓝: 'blue' };
const CODE = /^[A-Za-z0-9_-]{1,40}$/;
const PHONE = /^[0-9+() -]{5,20}$/;
export const IMPORT_MAX_ROWS = 20_000;

export function decodeCsv(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Reads the file; `errors` lists every bad cell (nothing is imported unless it is empty). */
export function parseEnterpriseCsv(bytes: Buffer): { rows: ParsedRow[]; errors: CellError[] } {
  const errors: CellError[] = [];
  let records: string[][];
  try {
    records = parse(decodeCsv(bytes), { skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (err) {
    const e = err as Error & { lines?: number };
    return {
      rows: [],
      errors: [{ row: e.lines ?? 1, column: '', message: `not readable as CSV: ${e.message}` }],
    };
  }
  const header = records[0];
  if (!header) return { rows: [], errors: [{ row: 1, column: '', message: 'the file is empty' }] };
  const index = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
  for (const column of ENTERPRISE_CSV_REQUIRED) {
    if (!index.has(column)) errors.push({ row: 1, column, message: `the header has no column "${column}"` });
  }
  for (const h of header) {
    if (!(ENTERPRISE_CSV_COLUMNS as readonly string[]).includes(h.trim().toLowerCase())) {
      errors.push({
        row: 1,
        column: h,
        message: `unknown column "${h}" (columns: ${ENTERPRISE_CSV_COLUMNS.join(', ')})`,
      });
    }
  }
  if (errors.length) return { rows: [], errors };
  if (records.length - 1 > IMPORT_MAX_ROWS) {
    return {
      rows: [],
      errors: [
        {
          row: IMPORT_MAX_ROWS + 2,
          column: '',
          message: `more than ${IMPORT_MAX_ROWS} rows: split the file`,
        },
      ],
    };
  }

  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((record, i) => {
    const row = i + 2;
    const cell = (column: string) => (record[index.get(column) ?? -1] ?? '').trim();
    const bad = (column: string, message: string) => errors.push({ row, column, message });
    const before = errors.length;

    const code = cell('code');
    if (!CODE.test(code)) bad('code', `"${code}" is not a code (1–40 letters, digits, _ or -)`);
    else if (seen.has(code)) bad('code', `"${code}" repeats row ${seen.get(code)}`);
    else seen.set(code, row);
    const name = cell('name');
    if (name.length < 1 || name.length > 200) bad('name', 'the name is empty or longer than 200 characters');
    const category = cell('category');
    if (!(SAFETY_CATEGORIES as readonly string[]).includes(category)) {
      bad('category', `"${category}" is not one of ${SAFETY_CATEGORIES.join(', ')}`);
    }
    const riskText = cell('risk');
    const risk = (RISK_ALIASES[riskText] ?? riskText.toLowerCase()) as RiskColour;
    if (!RISK_COLOURS.includes(risk))
      bad('risk', `"${riskText}" is not red, orange, yellow or blue (红 橙 黄 蓝)`);
    const lon = Number(cell('lon'));
    const lat = Number(cell('lat'));
    if (cell('lon') === '' || !Number.isFinite(lon) || lon < -180 || lon > 180)
      bad('lon', `"${cell('lon')}" is not a longitude`);
    if (cell('lat') === '' || !Number.isFinite(lat) || lat < -90 || lat > 90)
      bad('lat', `"${cell('lat')}" is not a latitude`);
    const employees = Number(cell('employees'));
    if (!/^\d{1,7}$/.test(cell('employees')))
      bad('employees', `"${cell('employees')}" is not a number of employees`);
    const address = cell('address');
    if (address.length > 500) bad('address', 'the address is longer than 500 characters');

    const boardCells = ENTERPRISE_CSV_BOARD.map(cell);
    let board: ResponsibilityBoardBody | null = null;
    if (boardCells.some((c) => c !== '')) {
      ENTERPRISE_CSV_BOARD.forEach((column, k) => {
        const v = boardCells[k]!;
        if (v === '')
          bad(column, 'the responsibility board is given in part: fill every board column or none');
        else if (column.endsWith('_phone') ? !PHONE.test(v) : v.length > 50) {
          bad(
            column,
            column.endsWith('_phone') ? `"${v}" is not a phone number` : 'longer than 50 characters',
          );
        }
      });
      board = {
        firstResponsible: cell('first_responsible'),
        firstResponsiblePhone: cell('first_responsible_phone'),
        actualController: cell('actual_controller'),
        safetyManager: cell('safety_manager'),
        safetyManagerPhone: cell('safety_manager_phone'),
        townSupervisor: cell('town_supervisor'),
        villageSupervisor: cell('village_supervisor'),
        supervisorPhone: cell('supervisor_phone'),
      };
    }
    if (errors.length === before) {
      rows.push({
        row,
        code,
        name,
        category: category as SafetyCategory,
        risk,
        lon,
        lat,
        employees,
        address: address || null,
        board,
      });
    }
  });
  return { rows, errors };
}

/** The export: UTF-8 with a byte-order mark so that Excel opens the Chinese text correctly. */
export function writeEnterpriseCsv(rows: Record<string, unknown>[]): string {
  return `\uFEFF${stringify(rows, { header: true, columns: [...ENTERPRISE_CSV_COLUMNS] })}`;
}
