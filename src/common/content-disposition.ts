/**
 * Content-Disposition for a file name that may be Arabic (slugs are letters of any script): an
 * ASCII `filename` for old clients (other letters dropped) and the exact one as `filename*` (RFC 6266).
 */
export function attachment(filename: string, fallback = 'signatures.csv'): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]+/g, '').replace(/^[-.]+/, '') || fallback;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
