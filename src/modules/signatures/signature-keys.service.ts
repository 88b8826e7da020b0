import { Injectable } from '@nestjs/common';
import { Keyring } from '../../infra/crypto/keyring';
import { SealedSignature, SignatureKeysRepository } from './signature-keys.repository';

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/** What one pass of re-sealing did. */
export interface ResealReport {
  /** The key everything is now sealed under. */
  keyId: string;
  resealed: number;
  /** Rows still under other keys afterwards, by key (empty when done). */
  left: Record<string, number>;
}

/**
 * Re-seals supporters' data under the first key of DATA_KEYS (`npm run cli -- keys:rotate`),
 * in batches of its own transaction each, in id order: it may run while Nida signs and confirms
 * (new rows are sealed under the first key already), be stopped at any point and run again, and
 * it only ever moves a row from a key it can open to the first key.
 */
@Injectable()
export class SignatureKeysService {
  constructor(
    private readonly rows: SignatureKeysRepository,
    private readonly keyring: Keyring,
  ) {}

  async rotate(options: { batchSize?: number; onBatch?: (done: number) => void } = {}): Promise<ResealReport> {
    const keyId = this.keyring.currentKeyId;
    const batchSize = options.batchSize ?? 500;
    let resealed = 0;
    for (let after = FIRST_ID; ; ) {
      const batch = await this.rows.sealedUnder(keyId, after, batchSize);
      if (!batch.length) break;
      resealed += await this.rows.reseal(batch.map((r) => this.resealed(r)), keyId);
      options.onBatch?.(resealed);
      after = batch[batch.length - 1].id;
    }
    const left = Object.fromEntries([...(await this.rows.countByKey())].filter(([id]) => id !== keyId));
    return { keyId, resealed, left };
  }

  /** The row's values opened and sealed again under the first key; `dataKey` stays the key it was read under. */
  private resealed(r: SealedSignature): SealedSignature {
    const k = this.keyring;
    return {
      ...r,
      email: k.sealOrNull('signature.email', k.openOrNull('signature.email', r.email)),
      name: k.sealOrNull('signature.name', k.openOrNull('signature.name', r.name)),
      city: k.sealOrNull('signature.city', k.openOrNull('signature.city', r.city)),
      comment: k.sealOrNull('signature.comment', k.openOrNull('signature.comment', r.comment)),
    };
  }
}
