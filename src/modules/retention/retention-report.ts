import type { RetentionReport } from './dto/retention-report.dto';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The report in plain words, one line per rule (what the CLI prints); a dry run says "would". */
export function describeRetention(r: RetentionReport): string[] {
  const verb = (done: string, base: string) => (r.dryRun ? `would ${base}` : done);
  const letters = r.lettersCancelled ? ` (${plural(r.lettersCancelled, 'unsent letter', 'unsent letters')} cancelled)` : '';
  return [
    r.dryRun ? 'Retention, dry run (nothing was changed):' : 'Retention:',
    `  ${verb('deleted', 'delete')} ${plural(r.unconfirmedDeleted, 'never-confirmed signature', 'never-confirmed signatures')} ` +
      `(pending or held, last link expired or made over ${r.pendingRetentionDays} days ago), with their tokens and emails`,
    `  ${verb('purged', 'purge')} ${plural(r.emailsPurged, 'sent or failed email', 'sent or failed emails')} older than ${r.mailRetentionDays} days`,
    `  ${verb('anonymised', 'anonymise')} ${plural(r.signaturesAnonymised, 'signature', 'signatures')} of ` +
      `${plural(r.campaignsAnonymised, 'campaign', 'campaigns')} closed or won over ${r.signatureRetentionDaysAfterClose} days ago${letters}; ` +
      'counts and breakdowns unchanged',
    `  ${verb('deleted', 'delete')} ${plural(r.updateDeliveriesPurged, 'update delivery row', 'update delivery rows')} of sends finished over ` +
      `${r.updateDeliveryRetentionDays} days ago (the updates keep their counts)`,
  ];
}
