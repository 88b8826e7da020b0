import type { Locale } from '../../common/locale';
import type { CaseStatus } from '../campaigns/dto/case-status.dto';

/** An urgent action's case status as pages and emails say it, in each language. */
export const CASE_STATUS_LABELS: Record<Locale, Record<CaseStatus, string>> = {
  en: {
    ongoing: 'Ongoing',
    detained: 'Detained',
    disappeared: 'Disappeared',
    on_trial: 'On trial',
    sentenced: 'Sentenced',
    released: 'Released',
    resolved: 'Resolved',
  },
  ar: {
    ongoing: 'مستمرة',
    detained: 'قيد الاحتجاز',
    disappeared: 'مختفٍ قسرياً',
    on_trial: 'قيد المحاكمة',
    sentenced: 'صدر حكم',
    released: 'أُطلق سراحه',
    resolved: 'حُلّت القضية',
  },
};

export function caseStatusLabel(status: string | null, locale: Locale): string | null {
  if (!status) return null;
  return (CASE_STATUS_LABELS[locale] as Record<string, string>)[status] ?? null;
}
