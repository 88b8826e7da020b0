import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';

/** A short form's limits: a few small text fields, no file. */
const LIMITS = { fields: 8, fieldSize: 1024, files: 0, parts: 8, fieldNameSize: 64, headerPairs: 20 };

/**
 * The text fields of a small multipart/form-data body (@fastify/multipart over busboy), for a route
 * that also takes that form of a post (RFC 8058's one-click: some mail providers send
 * `List-Unsubscribe=One-Click` as multipart). Null when the request is not multipart. A body past
 * the limits (a file, too many or too long fields) or malformed gives the fields read before it:
 * the caller compares them with constants and stores none of them.
 */
export async function readMultipartFields(request: FastifyRequest): Promise<Record<string, string> | null> {
  if (!request.isMultipart()) return null;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({ limits: LIMITS })) {
      if (part.type === 'file') {
        part.file.resume();
        continue;
      }
      if (typeof part.value === 'string' && !part.valueTruncated) fields[part.fieldname] = part.value;
    }
  } catch {
    // Past a limit or malformed: what was read is all there is.
  }
  return fields;
}
