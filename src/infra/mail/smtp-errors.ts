/** What an SMTP failure means for the next try. */
export type SmtpFailure = { permanent: boolean; summary: string };

/**
 * 5xx replies are permanent (the address or the message is refused): retrying cannot help.
 * 4xx replies, dropped connections and timeouts are temporary. The summary holds the reply code
 * and the error code, never the server's text (it may quote the recipient's address).
 */
export function classifySmtpError(error: unknown): SmtpFailure {
  const e = error as { responseCode?: number; code?: string; command?: string };
  const reply = typeof e?.responseCode === 'number' ? e.responseCode : undefined;
  const summary = [reply ? `SMTP ${reply}` : null, e?.code ?? null, e?.command ? `during ${e.command}` : null]
    .filter(Boolean)
    .join(' ') || 'unknown error';
  return { permanent: reply !== undefined && reply >= 500 && reply < 600, summary };
}
