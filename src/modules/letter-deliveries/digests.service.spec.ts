import type { Readable } from 'node:stream';
import { validateEnvironment } from '../../config/environment';
import type { DigestSupporter } from './digests.repository';
import { DigestsService } from './digests.service';

/** What a digest letter adds: names of those who agreed to be shown, and a CSV safe to open. */
describe('DigestsService', () => {
  const env = validateEnvironment({ NODE_ENV: 'test', LETTER_DIGEST_INTERVAL_HOURS: '12' });
  const digest = { id: 'd1', campaignId: 'c1', periodStart: new Date('2026-11-27T21:30:00Z'), periodEnd: new Date('2026-11-28T21:30:00Z'), supporters: 5 };

  /** A repository whose supporters (those who agreed to be shown) come in `pages`. */
  function service(pages: DigestSupporter[][]) {
    const read = { pages: 0 };
    const supporters = jest.fn(async function* () {
      for (const page of pages) {
        read.pages++;
        yield page;
      }
    });
    const cutDue = jest.fn(async () => 4);
    return { svc: new DigestsService({ supporters, cutDue } as never, env), supporters, cutDue, read };
  }

  async function read(stream: Readable): Promise<string> {
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    return text;
  }

  it('cuts the digests due after LETTER_DIGEST_INTERVAL_HOURS', async () => {
    const { svc, cutDue } = service([]);
    await expect(svc.cutDue()).resolves.toBe(4);
    expect(cutDue).toHaveBeenCalledWith(12);
  });

  it('counts everyone who joined but names only those the period lists as agreeing to be shown', async () => {
    const { svc, supporters } = service([[{ name: 'Layla', city: 'Basra', country: 'IQ' }, { name: 'Omar', city: null, country: 'JO' }]]);
    const { summary } = await svc.compose(digest, 'en', 120, 'Asia/Baghdad');
    expect(supporters).toHaveBeenCalledWith('d1');
    expect(summary).toBe(
      [
        '5 new supporters since 28 November 2026; 120 in all.',
        'Among them, those who agreed to be named: Layla (Basra), Omar.',
        'The attached file lists the new supporters with their city and country.',
      ].join('\n\n'),
    );
  });

  it('names nobody when nobody agreed, and says so in Arabic for an Arabic letter', async () => {
    const { svc } = service([]);
    const { summary } = await svc.compose({ ...digest, supporters: 3 }, 'ar', 3, 'Asia/Baghdad');
    expect(summary).toContain('انضم ٣ مؤيدين جدد');
    expect(summary).not.toContain('وافق على ذكر اسمه');
  });

  it('writes a CSV of name, city and country (never an email), with a byte-order mark, formulas made text', async () => {
    const { svc } = service([
      [{ name: '=HYPERLINK("http://evil.example","x")', city: '+1', country: 'IQ' }],
      [{ name: 'ليلى', city: 'البصرة', country: 'IQ' }],
    ]);
    const { attachment } = await svc.compose(digest, 'en', 120, 'UTC');
    expect(attachment.filename).toBe('supporters-2026-11-28.csv');
    expect(attachment.contentType).toBe('text/csv; charset=utf-8');
    expect(await read(attachment.content)).toBe(
      '\ufeffname,city,country\r\n' + `"'=HYPERLINK(""http://evil.example"",""x"")",'+1,IQ\r\n` + 'ليلى,البصرة,IQ\r\n',
    );
  });

  it('names at most 500 in the body, reading no further, while the CSV lists them all', async () => {
    const page = (from: number) => Array.from({ length: 300 }, (_, i) => ({ name: `S${from + i}`, city: null, country: 'IQ' }));
    const { svc, supporters, read: reads } = service([page(0), page(300), page(600)]);
    const { summary, attachment } = await svc.compose({ ...digest, supporters: 900 }, 'en', 900, 'UTC');
    expect(reads.pages).toBe(2); // the body's 500 names are in the first two pages
    const names = /named: (.*)\./.exec(summary)![1].split(', ');
    expect(names).toHaveLength(500);
    expect(names[499]).toBe('S499');
    const csv = await read(attachment.content);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(901);
    expect(supporters).toHaveBeenCalledTimes(2);
    expect(reads.pages).toBe(2 + 3);
  });
});
