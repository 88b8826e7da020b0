import { DynamicModule, Module } from '@nestjs/common';
import { APP_ENTITIES } from './app.entities';
import { ConfigModule } from './config/config.module';
import { Environment } from './config/environment';
import { CryptoModule } from './infra/crypto/crypto.module';
import { DatabaseModule } from './infra/database/database.module';
import { LoggingModule } from './infra/logging/logging.module';
import { MailTransportModule } from './infra/mail/mail-transport';
import { MetricsModule } from './infra/metrics/metrics.module';
import { QueueModule } from './infra/queue/queue.module';
import { RedisModule } from './infra/redis/redis.module';
import { StorageModule } from './infra/storage/storage.module';
import { AbuseModule } from './modules/abuse/abuse.module';
import { AbuseWorkersModule } from './modules/abuse/abuse-workers.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { CampaignWorkersModule } from './modules/campaigns/campaign-workers.module';
import { CampaignsModule } from './modules/campaigns/campaigns.module';
import { HealthModule } from './modules/health/health.module';
import { LetterDeliveriesWorkersModule } from './modules/letter-deliveries/letter-deliveries-workers.module';
import { LetterDeliveriesModule } from './modules/letter-deliveries/letter-deliveries.module';
import { LettersModule } from './modules/letters/letters.module';
import { MailWorkersModule } from './modules/mail/mail-workers.module';
import { MediaWorkersModule } from './modules/media/media-workers.module';
import { MediaModule } from './modules/media/media.module';
import { NoticesWorkersModule } from './modules/notices/notices-workers.module';
import { PagesModule } from './modules/pages/pages.module';
import { PrivacyWorkersModule } from './modules/privacy/privacy-workers.module';
import { PrivacyModule } from './modules/privacy/privacy.module';
import { PublicCampaignsModule } from './modules/public-campaigns/public-campaigns.module';
import { RetentionWorkersModule } from './modules/retention/retention-workers.module';
import { SignaturesModule } from './modules/signatures/signatures.module';
import { TallyWorkersModule } from './modules/tally/tally-workers.module';
import { OrganisationsModule } from './modules/organisations/organisations.module';
import { SetupModule } from './modules/setup/setup.module';
import { TargetsModule } from './modules/targets/targets.module';
import { UpdatesModule } from './modules/updates/updates.module';
import { UpdatesWorkersModule } from './modules/updates/updates-workers.module';
import { DossiersModule } from './modules/dossiers/dossiers.module';
import { DossiersWorkersModule } from './modules/dossiers/dossiers-workers.module';

/** The whole app; queue workers are loaded only when APP_ROLE is `worker` or `all`. */
@Module({})
export class AppModule {
  static register(env: Environment): DynamicModule {
    const workers = env.APP_ROLE === 'api' ? [] : [CampaignWorkersModule, MailWorkersModule, TallyWorkersModule, LetterDeliveriesWorkersModule, AbuseWorkersModule, RetentionWorkersModule, PrivacyWorkersModule, MediaWorkersModule, UpdatesWorkersModule, DossiersWorkersModule, NoticesWorkersModule];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forEnvironment(env),
        LoggingModule,
        DatabaseModule.forRoot(APP_ENTITIES),
        RedisModule,
        CryptoModule,
        QueueModule,
        MetricsModule,
        StorageModule,
        MailTransportModule,
        HealthModule,
        OrganisationsModule,
        AuthModule,
        CampaignsModule,
        MediaModule,
        TargetsModule,
        PublicCampaignsModule,
        LettersModule,
        LetterDeliveriesModule,
        SignaturesModule,
        PagesModule,
        SetupModule,
        AbuseModule,
        AuditModule,
        PrivacyModule,
        UpdatesModule,
        DossiersModule,
        ...workers,
      ],
    };
  }
}
