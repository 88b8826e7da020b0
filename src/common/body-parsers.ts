import { parse as parseQueryString } from 'node:querystring';
import type { FastifyBodyParser } from 'fastify';
import { CommonErrors } from './app-error';

/**
 * The deepest JSON a request may nest. Our own bodies nest three levels at most
 * (`translations.en.title`, `sendingWindow.days[0]`); thousands of levels make the validators
 * recurse until the stack runs out.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether JSON text opens more than `max` objects or arrays inside each other. A linear scan of
 * the text, before it is parsed, that skips string contents. Text that is not JSON may be counted
 * wrongly, but the parser refuses it anyway.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/**
 * The path (`translations.en.title`, `days.2`) of the first key or string value that holds U+0000,
 * `(body)` for a bare string, or null when there is none. PostgreSQL refuses U+0000 in text, and
 * no person types it, so it is refused where bodies are parsed, before any route sees it.
 */
export function nulCharacterAt(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return itemPath.split('\u0000').join('\\u0000');
    const found = nulCharacterAt(item, itemPath);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The JSON body parser: Fastify's own (which refuses `__proto__` and `constructor.prototype`),
 * behind a nesting limit, and refusing U+0000 anywhere in the result.
 */
export function jsonBodyParser(fastifyJson: FastifyBodyParser<string>): FastifyBodyParser<Buffer> {
  return (request, body, done) => {
    const text = body.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(CommonErrors.bodyTooDeep(MAX_JSON_DEPTH));
      return;
    }
    void fastifyJson(request, text, (error, value) => {
      if (error) return done(error);
      const field = nulCharacterAt(value);
      if (field !== null) return done(CommonErrors.nulCharacter(field));
      done(null, value);
    });
  };
}

/** The form body parser (the sign form): flat `name=value` pairs, refusing U+0000 like JSON. */
export function formBodyParser(): FastifyBodyParser<Buffer> {
  return (_request, body, done) => {
    // node:querystring keeps at most 1,000 pairs and gives an object without a prototype.
    const form = parseQueryString(body.toString('utf8'));
    const field = nulCharacterAt(form);
    if (field !== null) return done(CommonErrors.nulCharacter(field));
    done(null, form);
  };
}
