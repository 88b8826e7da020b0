import { Global, Module } from '@nestjs/common';
import { Environment } from '../../config/environment';
import { BlindIndex } from './blind-index';
import { Keyring } from './keyring';

/** The keyring that seals supporters' data and the blind index that finds it by email, for every module. */
@Global()
@Module({
  providers: [
    { provide: Keyring, inject: [Environment], useFactory: (env: Environment) => Keyring.fromEnvironment(env) },
    { provide: BlindIndex, inject: [Environment], useFactory: (env: Environment) => BlindIndex.fromEnvironment(env) },
  ],
  exports: [Keyring, BlindIndex],
})
export class CryptoModule {}
