// CSV cells for every export (the route's RawResponse adds the byte order mark, api/app.ts).

/** One cell: quoted when it must be; a text starting with = + - @ stays text (no spreadsheet formula). */
export const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A header and rows as CRLF lines, ending with one. */
export const csvLines = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  `${[header.map(csvCell), ...rows.map((r) => r.map(csvCell))].map((cells) => cells.join(',')).join('\r\n')}\r\n`;
