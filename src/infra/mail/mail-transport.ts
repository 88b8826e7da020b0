import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { MailSettings } from '../../config/environment';

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');
export type MailTransport = Transporter;

/** SMTP options from SMTP_URL (smtp://user:pass@host:port, smtps:// for implicit TLS). */
export function smtpOptions(smtpUrl: string, poolSize: number) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    pool: true as const,
    maxConnections: poolSize,
    maxMessages: 1000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Local catchers (maildev, tests) speak plain SMTP; a real relay upgrades with STARTTLS.
    ignoreTLS: ['127.0.0.1', 'localhost', '::1'].includes(url.hostname),
  };
}

/** One pooled SMTP transport per process. */
@Global()
@Module({
  providers: [
    {
      provide: MAIL_TRANSPORT,
      inject: [MailSettings],
      useFactory: (mail: MailSettings) => createTransport({...smtpOptions(mail.SMTP_URL ?? '', mail.MAIL_CONCURRENCY), logger: !!process.env.DEBUG_SMTP, debug: !!process.env.DEBUG_SMTP} as never),
    },
  ],
  exports: [MAIL_TRANSPORT],
})
export class MailTransportModule implements OnApplicationShutdown {
  constructor(@Inject(MAIL_TRANSPORT) private readonly transport: MailTransport) {}

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
