import { TimeZones } from './time-zones';

/** A zone is taken only when it is an IANA name that both Node and PostgreSQL know. */
describe('TimeZones', () => {
  function zones(postgresKnows: (zone: string) => boolean) {
    const query = jest.fn(async (_sql: string, [zone]: [string]) => [{ ok: postgresKnows(zone) }]);
    return { zones: new TimeZones({ query } as never), query };
  }

  it('takes an IANA name PostgreSQL knows, and asks once', async () => {
    const { zones: z, query } = zones(() => true);
    expect(await z.isKnown('Asia/Baghdad')).toBe(true);
    expect(await z.isKnown('Asia/Baghdad')).toBe(true);
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('refuses a name PostgreSQL does not know, even when Node does', async () => {
    expect(await zones((zone) => zone !== 'US/Pacific-New').zones.isKnown('US/Pacific-New')).toBe(false);
  });

  it('refuses offsets, whose sign JavaScript and PostgreSQL read the opposite way, without asking', async () => {
    const { zones: z, query } = zones(() => true);
    for (const offset of ['+03:00', '-0500', 'UTC+3']) expect(await z.isKnown(offset)).toBe(false);
    expect(query).not.toHaveBeenCalled();
  });
});
