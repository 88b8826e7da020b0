/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet: a value starting with = + - @ (also after
 * leading spaces), a tab, a carriage return or a line feed is prefixed with an apostrophe so it is
 * shown as text, never run as a formula. Every CSV Nida writes goes through here (digests, the
 * signatures export).
 */
export function csvCell(value: string | null | undefined): string {
  let v = value ?? '';
  if (/^[\t\r\n]|^[ \u00a0]*[=+\-@]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Rows as CSV lines, each ending in CRLF. */
export function csvRows(rows: (string | null)[][]): string {
  return rows.map((r) => r.map(csvCell).join(',') + '\r\n').join('');
}

export function csv(header: string[], rows: (string | null)[][]): string {
  return csvRows([header, ...rows]);
}
