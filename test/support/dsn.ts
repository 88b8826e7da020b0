/** A delivery status notification (RFC 3464) as a receiving server would send it back. */
export function dsn(status: string, action: string, to = 'bounce+3f1e0b4c-8a1d-4c55-9a7e-0d5f4d2b9e11@nida.test'): string {
  return [
    'From: Mail Delivery System <mailer-daemon@mx.example.org>',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.org',
    '',
    'Final-Recipient: rfc822; minister@example.org',
    `Action: ${action}`,
    `Status: ${status}`,
    '--B--',
    '',
  ].join('\r\n');
}
