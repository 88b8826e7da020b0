/**
 * What of an error may be logged: its class, its code (e.g. a PostgreSQL SQLSTATE) and its stack
 * frames — never its message, which can quote values (a unique violation quotes the key, which
 * may be a supporter's email).
 */
export function safeError(error: unknown): { type: string; code?: string; frames?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(error.stack ? { frames: error.stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n') } : {}),
  };
}
