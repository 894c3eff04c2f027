/**
 * CSV cells that a spreadsheet would run as a formula (OWASP "CSV injection"): text that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return. Exports prefix such a cell
 * with `'` (spreadsheets then show it as text); imports remove that one quote again, so an
 * export re-imports unchanged. A plain number (`-1200`, `3.5`) is not a formula and stays
 * as it is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function neutraliseCsvCell(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

export function restoreCsvCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) && !PLAIN_NUMBER.test(cell.slice(1)) ? cell.slice(1) : cell;
}
