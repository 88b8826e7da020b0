import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DossierSendStatus } from './dossier-send.entity';

export interface DossierSendRow {
  id: string;
  campaign_id: string;
  target_id: string;
  status: DossierSendStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** The SQL of dossier emails (table dossier_sends): queued once per request key, sent under a lease. */
@Injectable()
export class DossierSendsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Queues one email; a repeated request key (the same click sent twice) queues nothing: null. */
  async insert(m: EntityManager, s: { campaignId: string; targetId: string; requestedBy: string | null; requestKey: string }): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO dossier_sends (campaign_id, target_id, requested_by, request_key) VALUES ($1, $2, $3, $4)
       ON CONFLICT (target_id, request_key) DO NOTHING RETURNING id`,
      [s.campaignId, s.targetId, s.requestedBy, s.requestKey],
    );
    return rows[0]?.id ?? null;
  }

  list(targetId: string): Promise<DossierSendRow[]> {
    return this.dataSource.query(
      `SELECT id, campaign_id, target_id, status, attempts, last_error, created_at, sent_at FROM dossier_sends
        WHERE target_id = $1 ORDER BY created_at DESC LIMIT 20`,
      [targetId],
    );
  }

  /** Takes the lease on the oldest pending email nobody holds (one holder at a time), counting an attempt. */
  async claimNext(leaseSeconds: number): Promise<DossierSendRow | null> {
    const [rows]: [DossierSendRow[], number] = await this.dataSource.query(
      `UPDATE dossier_sends SET attempts = attempts + 1, lease_until = now() + make_interval(secs => $1)
        WHERE id = (SELECT id FROM dossier_sends
                     WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < now())
                     ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, campaign_id, target_id, status, attempts, last_error, created_at, sent_at`,
      [leaseSeconds],
    );
    return rows[0] ?? null;
  }

  async renewLease(id: string, leaseSeconds: number): Promise<void> {
    await this.dataSource.query(`UPDATE dossier_sends SET lease_until = now() + make_interval(secs => $2) WHERE id = $1 AND status = 'pending'`, [id, leaseSeconds]);
  }

  async markSent(id: string, messageId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE dossier_sends SET status = 'sent', sent_at = now(), message_id = $2, last_error = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'`,
      [id, messageId],
    );
  }

  /** A failed attempt: failed for good, or tried again after `retryAfterMs` (the lease kept until then). */
  async recordError(id: string, error: string, final: boolean, retryAfterMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE dossier_sends SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END,
              lease_until = CASE WHEN $3 THEN NULL ELSE now() + make_interval(secs => $4::double precision / 1000) END
        WHERE id = $1 AND status = 'pending'`,
      [id, error.slice(0, 500), final, retryAfterMs],
    );
  }
}
