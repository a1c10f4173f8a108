/**
 * The audit trail as CSV (RFC 4180) for spreadsheets. A cell that a spreadsheet would run as
 * a formula (starting with = + - @, or a tab or carriage return) gets a leading `'`, so a
 * mask typed by somebody cannot become a formula on an auditor's machine.
 */
import type { AuditEntry } from '@/lib/api-types';

const COLUMNS: (keyof AuditEntry)[] = [
  'id', 'time', 'actor', 'role', 'source', 'replicator', 'action', 'mask', 'priority', 'full',
  'outcome', 'updated', 'errorCode', 'errorMessage',
];

/** The rows as a CSV file with a header line. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [COLUMNS.join(',')];
  for (const entry of entries) lines.push(COLUMNS.map((column) => cell(entry[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** One cell: empty for null, guarded against formulas, quoted when it needs to be. */
export function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
