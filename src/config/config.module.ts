import { DynamicModule, Global, Module, ValueProvider } from '@nestjs/common';
import { Environment, NAMESPACES, Namespaces } from './environment';

/**
 * Makes the validated configuration injectable everywhere: the whole `Environment`, and each
 * concern on its own by its class (`constructor(private readonly mail: MailSettings)`), which is
 * the same object as `env.mail`. A module should ask for the concerns it uses.
 */
@Global()
@Module({})
export class ConfigModule {
  static forEnvironment(env: Environment): DynamicModule {
    const concerns: ValueProvider[] = (Object.keys(NAMESPACES) as (keyof Namespaces)[]).map((key) => ({ provide: NAMESPACES[key], useValue: env[key] }));
    const providers: ValueProvider[] = [{ provide: Environment, useValue: env }, ...concerns];
    return { module: ConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
