import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Whether PostgreSQL knows a time zone. Node's and PostgreSQL's zone lists differ (Node accepts
 * `US/Pacific-New`, a PostgreSQL built on newer tzdata does not), and every zone Nida stores is
 * used in SQL, so a zone is accepted only when both know it. Answers are kept per process: the
 * set of zones changes only with a PostgreSQL upgrade, and the dispatcher copes with that.
 */
const IANA_NAME = /^[A-Za-z][A-Za-z_-]*(\/[A-Za-z0-9_+-]+)*$/;

@Injectable()
export class TimeZones {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly dataSource: DataSource) {}

  async isKnown(zone: string): Promise<boolean> {
    const cached = this.known.get(zone);
    if (cached !== undefined) return cached;
    let ok = false;
    // An IANA name only: an offset such as `+03:00` means UTC+3 to JavaScript (Node 24 accepts it)
    // but UTC-3 to PostgreSQL (POSIX signs), so it is never taken.
    if (!IANA_NAME.test(zone)) return false;
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      const [row]: { ok: boolean }[] = await this.dataSource.query(`SELECT nida_zone_now($1) IS NOT NULL AS ok`, [zone]);
      ok = row.ok === true;
    } catch {
      ok = false;
    }
    if (this.known.size < 1000) this.known.set(zone, ok);
    return ok;
  }
}
