import type { CampaignResponseDto } from '../campaigns/dto/campaign-response.dto';
import { campaignBody, campaignFormValues, emptyCampaignForm, formErrors, readCampaignForm, validateBody, validateOutcome, wallClock, zonedToInstant } from './console-campaign-form';
import { CONSOLE_CAMPAIGN_STRINGS } from './console-campaigns-strings';

const en = CONSOLE_CAMPAIGN_STRINGS.en;

function campaign(overrides: Partial<CampaignResponseDto> = {}): CampaignResponseDto {
  return {
    id: '7d1c2c43-6a9e-4a53-9a52-6b1f1d2b7f10',
    organisationId: 'o',
    slug: 'free-salim',
    kind: 'urgent_action',
    status: 'draft',
    locale: 'en',
    title: 'Free Salim',
    summary: 'Summary',
    body: 'Body',
    translations: { ar: { title: 'أطلقوا سالم', summary: 'ملخص', body: 'نص' } },
    goal: 1200,
    endsAt: '2030-06-01T09:00:00.000Z',
    timeZone: 'Asia/Baghdad',
    letter: { mode: 'none', subject: null, body: null },
    outcome: null,
    signatureCount: 0,
    publishedAt: null,
    closedAt: null,
    wonAt: null,
    supporterDataAnonymisedAt: null,
    supporterDataAnonymised: false,
    caseStatus: null,
    autoNotify: false,
    comments: 'moderated',
    reviewNote: null,
    reviewRequestedAt: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('zonedToInstant / wallClock', () => {
  it('reads a wall-clock time in its zone', () => {
    expect(zonedToInstant('2030-06-01T12:00', 'Asia/Baghdad')?.toISOString()).toBe('2030-06-01T09:00:00.000Z');
    expect(zonedToInstant('2030-01-15T08:30', 'America/New_York')?.toISOString()).toBe('2030-01-15T13:30:00.000Z');
    expect(zonedToInstant('2030-07-15T08:30', 'America/New_York')?.toISOString()).toBe('2030-07-15T12:30:00.000Z');
    expect(zonedToInstant('2030-07-15T08:30', 'UTC')?.toISOString()).toBe('2030-07-15T08:30:00.000Z');
  });

  it('reads a time skipped by the clocks going forward with the offset before, and a repeated one as its first occurrence', () => {
    // Berlin: 2030-03-31 02:00 → 03:00; 2030-10-27 03:00 → 02:00.
    expect(zonedToInstant('2030-03-31T02:30', 'Europe/Berlin')?.toISOString()).toBe('2030-03-31T01:30:00.000Z');
    expect(zonedToInstant('2030-10-27T02:30', 'Europe/Berlin')?.toISOString()).toBe('2030-10-27T00:30:00.000Z');
  });

  it('refuses what is not a date and time, or a zone nobody knows', () => {
    for (const bad of ['2030-02-30T10:00', '2030-13-01T10:00', '2030-01-01T24:00', '2030-01-01T10:60', '2030-01-01', 'tomorrow', '2030-01-01T10:00Z', '']) {
      expect(zonedToInstant(bad, 'UTC')).toBeNull();
    }
    expect(zonedToInstant('2030-01-01T10:00', 'Mars/Olympus')).toBeNull();
  });

  it('writes an instant back as the wall-clock time of its zone', () => {
    expect(wallClock(new Date('2030-06-01T09:00:00Z'), 'Asia/Baghdad')).toBe('2030-06-01T12:00');
    expect(wallClock(new Date('2030-10-27T00:30:00Z'), 'Europe/Berlin')).toBe('2030-10-27T02:30');
  });
});

describe('campaignBody', () => {
  it('makes the API body of a new campaign: the main language, the other as a translation, the deadline in its zone', () => {
    const values = readCampaignForm({
      locale: 'ar',
      kind: 'urgent_action',
      title_ar: 'عنوان',
      summary_ar: 'ملخص',
      body_ar: 'نص',
      title_en: 'Title',
      summary_en: 'Summary',
      body_en: 'Body',
      goal: '١٢٠٠',
      endsAt: '2030-06-01T12:00',
      timeZone: 'Asia/Baghdad',
      slug: '',
    });
    expect(campaignBody(values, 'UTC', null, en)).toEqual({
      body: {
        locale: 'ar',
        kind: 'urgent_action',
        title: 'عنوان',
        summary: 'ملخص',
        body: 'نص',
        translations: { en: { title: 'Title', summary: 'Summary', body: 'Body' } },
        goal: 1200,
        timeZone: 'Asia/Baghdad',
        endsAt: '2030-06-01T09:00:00.000Z',
      },
      errors: {},
    });
  });

  it('reads the deadline in the platform zone when none is chosen, and says when it is no date', () => {
    const values = { ...emptyCampaignForm('en'), endsAt: '2030-06-01T12:00' };
    expect(campaignBody(values, 'Asia/Baghdad', null, en).body.endsAt).toBe('2030-06-01T09:00:00.000Z');
    expect(campaignBody({ ...values, endsAt: '2030-02-31T12:00' }, 'UTC', null, en).errors).toEqual({ endsAt: en.errorEndsAtFormat });
  });

  it('names every field in an update: blanks clear goal, deadline, zone and translations; locked kind and slug and an unchanged deadline are left out', () => {
    const current = campaign({ status: 'live' });
    const values = campaignFormValues(current, 'UTC', 'en');
    expect(values.endsAt).toBe('2030-06-01T12:00');
    const same = campaignBody({ ...values, kind: 'petition', slug: 'other' }, 'UTC', current, en).body;
    expect(same).not.toHaveProperty('endsAt');
    expect(same).not.toHaveProperty('kind');
    expect(same).not.toHaveProperty('slug');
    const cleared = campaignBody({ ...values, goal: '', endsAt: '', timeZone: '', title: { ar: '', en: 'Free Salim' }, summary: { ar: '', en: 'S' }, body: { ar: '', en: 'B' } }, 'UTC', campaign(), en).body;
    expect(cleared).toMatchObject({ goal: null, endsAt: null, timeZone: null, translations: {}, kind: 'urgent_action', slug: 'free-salim' });
    // The same wall-clock time in another zone is another instant: sent.
    expect(campaignBody({ ...values, timeZone: 'UTC' }, 'UTC', current, en).body.endsAt).toBe('2030-06-01T12:00:00.000Z');
  });

  it('shows the goal in the page digits and reads it back', () => {
    const values = campaignFormValues(campaign({ goal: 2500 }), 'UTC', 'ar');
    expect(values.goal).toBe('٢٥٠٠');
    expect(campaignBody(values, 'UTC', null, en).body.goal).toBe(2500);
  });
});

describe('validation with the API DTOs and the errors beside the fields', () => {
  it('trims as the API does and refuses what it refuses, each error on its form field', async () => {
    const ok = await validateBody('create', { locale: 'en', kind: 'petition', title: '  A title  ', summary: 'S', body: 'B' });
    expect(ok.problems).toEqual([]);
    expect(ok.dto.title).toBe('A title');

    const bad = await validateBody('create', {
      locale: 'en',
      kind: 'referendum',
      title: 'x',
      summary: '',
      body: 'B',
      goal: 'lots',
      slug: 'Not A Slug',
      translations: { ar: { title: 'عنوان', summary: '', body: '' } },
    });
    expect(formErrors(bad.problems, 'en', en)).toEqual({
      kind: en.errorKind,
      title_en: en.errorTitle,
      summary_en: en.errorSummary,
      goal: en.errorGoal,
      slug: en.errorSlug,
      summary_ar: `${en.errorSummary}. ${en.errorTranslation.replace('{lang}', en.language.ar)}`,
      body_ar: `${en.errorBody}. ${en.errorTranslation.replace('{lang}', en.language.ar)}`,
    });
  });

  it("maps the service's own problems: a deadline in the past, an unknown zone", () => {
    expect(
      formErrors(
        [
          { field: 'endsAt', problems: ['endsAt must be in the future'] },
          { field: 'timeZone', problems: ['timeZone must be an IANA time zone PostgreSQL knows, such as Asia/Baghdad'] },
        ],
        'ar',
        en,
      ),
    ).toEqual({ endsAt: en.errorEndsAtPast, timeZone: en.errorTimeZone });
  });

  it('checks the outcome of a victory as the API does', async () => {
    expect(await validateOutcome('  released ')).toEqual({ ok: true, outcome: 'released' });
    expect(await validateOutcome('   ')).toEqual({ ok: true });
    expect((await validateOutcome('x'.repeat(201))).ok).toBe(false);
  });
});
