import { Module } from '@nestjs/common';
import { SignatureKeysRepository } from './signature-keys.repository';
import { SignatureKeysService } from './signature-keys.service';

/**
 * Re-sealing signatures under the current data key, on its own: it needs only the database and
 * the keyring (no queue, no Redis), so the CLI can run it beside a running Nida.
 */
@Module({
  providers: [SignatureKeysRepository, SignatureKeysService],
  exports: [SignatureKeysService],
})
export class SignatureKeysModule {}
