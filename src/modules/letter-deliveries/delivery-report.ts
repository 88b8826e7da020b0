import type { ParsedMail } from 'mailparser';

export type DeliveryReport =
  | { kind: 'auto-reply' }
  | { kind: 'permanent'; status: string }
  | { kind: 'temporary'; status: string }
  | { kind: 'unknown' };

const LETTER_ID = /^bounce\+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@/i;

/** The letter a bounce address stands for (VERP: bounce+<letter id>@domain), or null. */
export function letterIdFromBounceAddress(address: string): string | null {
  return LETTER_ID.exec(address.trim())?.[1]?.toLowerCase() ?? null;
}

/**
 * What a message sent to a bounce address says (RFC 3464 delivery status notifications):
 * a 5.x.x status is a permanent failure, 4.x.x temporary; an out-of-office or other automatic
 * reply (RFC 3834 Auto-Submitted, or the usual vendor headers) is ignored.
 */
export function readDeliveryReport(mail: ParsedMail): DeliveryReport {
  const header = (name: string) => {
    const value = mail.headers.get(name);
    // Structured headers (Content-Type) come as { value, params }.
    const text = value && typeof value === 'object' && 'value' in value ? String(value.value) : String(value ?? '');
    return text.toLowerCase();
  };
  const autoSubmitted = header('auto-submitted');
  const isDsn = /multipart\/report/.test(header('content-type')) || mail.attachments.some((a) => a.contentType === 'message/delivery-status');
  if (!isDsn && (autoSubmitted.startsWith('auto-replied') || header('x-autoreply') || header('x-autorespond') || /^(auto|out of office)/i.test(mail.subject ?? ''))) {
    return { kind: 'auto-reply' };
  }
  // mailparser gives the message/delivery-status part either as an attachment or inside the text.
  const statusPart = mail.attachments.find((a) => a.contentType === 'message/delivery-status');
  const source = statusPart ? statusPart.content.toString('utf8') : isDsn ? (mail.text ?? '') : '';
  const statuses = [...source.matchAll(/^\s*Status:\s*([245])\.(\d{1,3})\.(\d{1,3})/gim)].map((m) => `${m[1]}.${m[2]}.${m[3]}`);
  const permanent = statuses.find((s) => s.startsWith('5'));
  if (permanent) return { kind: 'permanent', status: permanent };
  const temporary = statuses.find((s) => s.startsWith('4'));
  if (temporary) return { kind: 'temporary', status: temporary };
  return { kind: 'unknown' };
}
