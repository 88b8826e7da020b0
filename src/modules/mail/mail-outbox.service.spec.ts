import { validateEnvironment } from '../../config/environment';
import type { MailToSend } from './mail-outbox.repository';
import { MailOutboxService } from './mail-outbox.service';

/** Once the SMTP server accepted a message, recording it must not send it again. */
describe('MailOutboxService.send', () => {
  // A Redis nobody listens on: this test never enqueues, and the producer queue swallows errors.
  const env = validateEnvironment({ NODE_ENV: 'test', REDIS_URL: 'redis://127.0.0.1:1', SEND_LEASE_SECONDS: '10' });
  const row: MailToSend = {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'signature.already-signed',
    attempts: 1,
    tokenSeed: null,
    signer: { email: 'layla@example.org', name: 'Layla', locale: 'en' },
    campaign: { slug: 'marshes', locale: 'en', title: 'Marshes', translations: {}, organisation: 'Coalition' },
  };

  function service(markSent: jest.Mock) {
    const sendMail = jest.fn(async () => ({}));
    const claim = jest.fn(async () => row);
    const recordError = jest.fn(async () => undefined);
    const svc = new MailOutboxService(
      { claim, markSent, recordError, renewLease: jest.fn(async () => undefined) } as never,
      { render: () => ({ subject: 's', text: 't', html: '<p>t</p>' }) } as never,
      { sendMail } as never,
      env,
    );
    return { svc, sendMail, claim, recordError };
  }

  it('retries marking the row sent in place when the database fails for a moment, and sends once', async () => {
    const markSent = jest.fn().mockRejectedValueOnce(new Error('connection terminated')).mockResolvedValue(undefined);
    const { svc, sendMail, claim, recordError } = service(markSent);
    try {
      await expect(svc.send(row.id)).resolves.toBe('sent');
      expect(sendMail).toHaveBeenCalledTimes(1);
      expect(markSent).toHaveBeenCalledTimes(2);
      expect(recordError).not.toHaveBeenCalled();
      expect(claim).toHaveBeenCalledWith(row.id, 10);
    } finally {
      await svc.onModuleDestroy();
    }
  });
});
