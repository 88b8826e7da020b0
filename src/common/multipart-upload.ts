import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { AppError } from './app-error';
import { nulCharacterAt } from './body-parsers';

/** A multipart form with at most one file, read whole into memory up to a limit. */
export interface Upload {
  /** The text fields (the last value of a repeated name). */
  fields: Record<string, string>;
  /** The file field's bytes, or null when the form had none (or an empty one). */
  file: { data: Buffer; filename: string } | null;
}

export interface UploadLimits {
  /** The name of the file field. */
  fileField: string;
  /** Most bytes the file may have: counted while it streams in; one byte more and reading stops. */
  maxBytes: number;
  tooLarge: () => AppError;
  notMultipart: () => AppError;
  malformed: () => AppError;
  /**
   * Refuse at once a Content-Length that cannot fit (the API). A form leaves it false: its text
   * fields (the CSRF token, what was typed) come before the file and are wanted even then.
   */
  refuseByLength?: boolean;
}

/** Text fields: how many, and how long each (alt texts and a credit are short). */
const FIELD_LIMITS = { fields: 12, fieldSize: 16 * 1024, files: 1, parts: 14, fieldNameSize: 64, headerPairs: 50 };
/** What multipart framing and the text fields may add to the file's bytes. */
const FRAMING_ALLOWANCE = FIELD_LIMITS.fields * FIELD_LIMITS.fieldSize + 64 * 1024;

/**
 * Reads a multipart/form-data request (@fastify/multipart over busboy) holding one file: never
 * more than `maxBytes` of it is kept — a file that grows past the limit while streaming is refused
 * as soon as it does (and, with `refuseByLength`, a Content-Length that cannot fit before reading). Text fields
 * are limited in number and size and refused when they hold U+0000, as JSON and form bodies are.
 * `fields` receives the text fields as they arrive, so a caller still has those sent before the
 * file when the file is refused (a form's CSRF token and what was typed).
 */
export async function readUpload(request: FastifyRequest, limits: UploadLimits, fields: Record<string, string> = {}): Promise<Upload> {
  if (!request.isMultipart()) throw limits.notMultipart();
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (limits.refuseByLength && Number.isFinite(declared) && declared > limits.maxBytes + FRAMING_ALLOWANCE) throw limits.tooLarge();
  let file: Upload['file'] = null;
  try {
    for await (const part of request.parts({ limits: { ...FIELD_LIMITS, fileSize: limits.maxBytes } })) {
      if (part.type === 'field') {
        if (typeof part.value !== 'string' || part.valueTruncated) throw limits.malformed();
        fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== limits.fileField || file) {
        part.file.resume();
        throw limits.malformed();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file) {
        size += (chunk as Buffer).length;
        if (size > limits.maxBytes || part.file.truncated) throw limits.tooLarge();
        chunks.push(chunk as Buffer);
      }
      if (part.file.truncated) throw limits.tooLarge();
      if (size > 0) file = { data: Buffer.concat(chunks, size), filename: part.filename };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw limits.tooLarge();
    throw limits.malformed();
  }
  const nul = nulCharacterAt(fields);
  if (nul !== null) throw new AppError(400, 'VALIDATION_FAILED', 'The request has invalid fields.', [{ field: nul, problems: [`${nul} may not contain the NUL character (U+0000)`] }]);
  return { fields, file };
}
