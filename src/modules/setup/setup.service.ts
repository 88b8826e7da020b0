import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../../config/environment';
import { type Locale } from '../../common/locale';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { LetterTextDto } from '../letters/dto/letter-response.dto';
import { LettersService } from '../letters/letters.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { TargetsService } from '../targets/targets.service';
import { DEMO_CAMPAIGN, DEMO_ORGANISATION } from './demo-campaign';

const DEMO_LOCK = 4_260_003;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What happens once at start: the first admin, and outside production the demo campaign. */
@Injectable()
export class SetupService {
  private readonly logger = new Logger(SetupService.name);

  constructor(
    private readonly env: Environment,
    private readonly organisations: OrganisationsService,
    private readonly campaigns: CampaignsService,
    private readonly targets: TargetsService,
    private readonly dataSource: DataSource,
    private readonly letters: LettersService,
  ) {}

  async run(): Promise<void> {
    await this.organisations.ensureFirstAdmin(this.env.ADMIN_EMAIL, this.env.ADMIN_PASSWORD, this.env.ADMIN_ORGANISATION);
    if (this.env.NODE_ENV !== 'production' && this.env.DEMO_DATA) await this.seedDemo();
  }

  /** Seeds the demo organisation, its live urgent action and one target, when no campaign exists yet. */
  async seedDemo(): Promise<boolean> {
    const seeded = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK]);
      if (await this.campaigns.anyExists(manager)) return false;
      const organisation = await this.organisations.findOrCreateByName(manager, DEMO_ORGANISATION);
      const now = new Date();
      const { target, letter, letterTranslations, ...text } = DEMO_CAMPAIGN;
      const campaign = await this.campaigns.insertSeeded(manager, {
          ...text,
          organisationId: organisation.id,
          status: 'live',
          endsAt: new Date(now.getTime() + this.env.URGENT_ACTION_DEFAULT_DAYS * DAY_MS),
          publishedAt: now,
          letterMode: letter.mode,
          letterSubject: letter.subject,
          letterBody: letter.body,
      });
      await this.targets.insertSeeded(manager, campaign.id, target);
      for (const [locale, translation] of Object.entries(letterTranslations) as [Locale, LetterTextDto][]) {
        await this.letters.saveTranslation(manager, campaign.id, locale, translation);
      }
      return true;
    });
    if (seeded) this.logger.log(`Seeded the demo campaign at /c/${DEMO_CAMPAIGN.slug}`);
    return seeded;
  }
}
