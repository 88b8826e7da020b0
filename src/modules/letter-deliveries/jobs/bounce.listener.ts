import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { safeError } from '../../../common/safe-error';
import { Environment } from '../../../config/environment';
import { UpdateSendService } from '../../updates/update-send.service';
import { BouncesService } from '../bounces.service';
import { letterIdFromBounceAddress, readDeliveryReport } from '../delivery-report';

const MAX_REPORT_BYTES = 1024 * 1024;

/**
 * The inbound SMTP listener for delivery reports (BOUNCE_SMTP_PORT; off when 0). It accepts mail
 * only for bounce+<letter id>@ addresses and hands each report to BouncesService, and for the
 * update emails' addresses (bounce+u-<delivery id>@, unsubscribe+<token>@), handed to
 * UpdateSendService. Runs in worker processes.
 */
@Injectable()
export class BounceListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BounceListener.name);
  private server?: SMTPServer;

  constructor(
    private readonly bounces: BouncesService,
    private readonly updates: UpdateSendService,
    private readonly env: Environment,
  ) {}

  /** The port it listens on, once started (for tests and logs). */
  port(): number | undefined {
    return (this.server?.server.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.env.BOUNCE_SMTP_PORT) return;
    // Loaded here, in the one process that listens, not at every start: most of the ~6 MB of heap an
    // idle api process saved with qrcode's (README, Benchmark, item 13).
    const { SMTPServer } = await import('smtp-server');
    const { simpleParser } = await import('mailparser');
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: MAX_REPORT_BYTES,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (letterIdFromBounceAddress(address.address) || this.updates.acceptsInbound(address.address)) return callback();
        const error = new Error('No such mailbox') as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then(async (mail) => {
            const recipients = session.envelope.rcptTo.map((r) => r.address);
            const forUpdates = recipients.filter((a) => this.updates.acceptsInbound(a));
            if (forUpdates.length) await this.updates.handleInbound(forUpdates, readDeliveryReport(mail));
            await this.bounces.handleReport(recipients.filter((a) => !forUpdates.includes(a)), mail);
          })
          .then(() => callback(), (error: unknown) => {
            this.logger.warn({ err: safeError(error) }, 'Delivery report not handled');
            callback();
          });
      },
    });
    this.server.on('error', (error) => this.logger.warn({ err: safeError(error) }, 'Bounce listener error'));
    await new Promise<void>((resolve) => this.server!.listen(this.env.BOUNCE_SMTP_PORT, this.env.BOUNCE_SMTP_HOST, resolve));
    this.logger.log(`Bounce listener on port ${this.port()}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
