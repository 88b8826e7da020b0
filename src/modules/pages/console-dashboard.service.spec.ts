import type { Principal } from '../../common/principal';
import type { CampaignsService } from '../campaigns/campaigns.service';
import type { LetterDeliveriesService } from '../letter-deliveries/letter-deliveries.service';
import type { SignaturesService } from '../signatures/signatures.service';
import { ConsoleDashboardService, sparkline } from './console-dashboard.service';

const NOW = new Date('2026-11-30T21:30:00Z'); // 00:30 on 1 December in Baghdad
const HOUR = 3600_000;
const principal = { organisationId: 'org-1', role: 'organiser' } as Principal;

function campaign(id: string, fields: Record<string, unknown>) {
  return { id, slug: id, title: `Title ${id}`, locale: 'en', translations: {}, kind: 'petition', status: 'live', endsAt: null, timeZone: null, signatureCount: 0, ...fields };
}

function service(items: Record<string, unknown>[], byDay: { campaignId: string; day: string; verified: number }[] = []) {
  const asked: string[] = [];
  const campaigns = {
    listForOrganisation: (_p: Principal, organisationId: string) => {
      asked.push(organisationId);
      return Promise.resolve({ items });
    },
    timeZoneOf: (c: { timeZone: string | null }) => c.timeZone ?? 'UTC',
  } as unknown as CampaignsService;
  const signatures = { dashboardCounts: () => Promise.resolve({ byDay, held: {} }) } as unknown as SignaturesService;
  const letters = { undeliveredByCampaign: () => Promise.resolve({}) } as unknown as LetterDeliveriesService;
  return { dashboard: new ConsoleDashboardService(campaigns, signatures, letters, {} as never), asked };
}

describe('ConsoleDashboardService', () => {
  it("asks only for the caller's own organisation", async () => {
    const { dashboard, asked } = service([]);
    await dashboard.dashboard({ organisationId: 'org-9', role: 'admin' } as Principal, 'en', NOW);
    expect(asked).toEqual(['org-9']);
  });

  it("counts today and the 14 days in the campaign's zone, oldest first, in the page's digits", async () => {
    const { dashboard } = service([campaign('a', { timeZone: 'Asia/Baghdad', signatureCount: 7 })], [
      { campaignId: 'a', day: '2026-12-01', verified: 4 },
      { campaignId: 'a', day: '2026-11-30', verified: 3 },
      { campaignId: 'a', day: '2026-11-17', verified: 9 }, // 15 days before: not shown
    ]);
    const en = (await dashboard.dashboard(principal, 'en', NOW)).campaigns[0];
    expect(en.today).toBe('4');
    expect(en.spark.label).toMatch(/: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4$/);
    const ar = (await dashboard.dashboard(principal, 'ar', NOW)).campaigns[0];
    expect(ar.today).toBe('٤');
    expect(ar.verified).toBe('٧');
    expect(ar.spark.label).toMatch(/: (٠، ){12}٣، ٤$/);
  });

  it('flags a live deadline within 24 hours only: not a passed one, not a later one, not a closed campaign', async () => {
    const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR).toISOString();
    const { dashboard } = service([
      campaign('soon', { kind: 'urgent_action', endsAt: at(23) }),
      campaign('passed', { kind: 'urgent_action', endsAt: at(-1) }),
      campaign('later', { kind: 'urgent_action', endsAt: at(25) }),
      campaign('closed', { kind: 'urgent_action', status: 'closed', endsAt: at(2) }),
      campaign('draft', { kind: 'urgent_action', status: 'draft', endsAt: null }),
    ]);
    const { campaigns, attention } = await dashboard.dashboard(principal, 'en', NOW);
    expect(attention.map((a) => a.campaign)).toEqual(['Title soon']);
    expect(attention[0].url).toBe('/en/console/campaigns/soon');
    expect(campaigns.find((c) => c.title === 'Title draft')?.url).toBe('');
    // Every campaign, drafts too, links to its own console page.
    expect(campaigns.find((c) => c.title === 'Title draft')?.consoleUrl).toBe('/en/console/campaigns/draft');
    expect(campaigns.find((c) => c.title === 'Title later')?.deadline).toMatch(/^1 Dec 2026, 22:30 \(UTC\)$/);
  });

  it('draws a flat line at the bottom for no signatures and the highest day at the top', () => {
    expect(sparkline([0, 0], '').points).toBe('0.0,23.0 112.0,23.0');
    expect(sparkline([1, 2], '').points).toBe('0.0,12.0 112.0,1.0');
  });
});
