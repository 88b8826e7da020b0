import type { Locale } from '../../common/locale';

/** The words of the case updates on the campaign page and of the unsubscribe page, per language. */
const EN = {
  caseStatus: 'Case status',
  timelineHeading: 'Updates',
  postedOn: 'Posted on',
  statusSetTo: 'Case status: {status}',
  unsubscribeTitle: 'Stop update emails',
  unsubscribeIntro: 'You get emails about “{campaign}”, which you signed, from {organisation}.',
  unsubscribeChoose: 'Which emails should stop?',
  scopeCampaign: 'Updates about this campaign',
  scopeOrganisation: 'Everything from {organisation}',
  unsubscribeButton: 'Unsubscribe',
  unsubscribedTitle: 'You are unsubscribed',
  unsubscribedCampaign: 'You will get no more updates about “{campaign}”.',
  unsubscribedOrganisation: 'You will get no more updates from {organisation}.',
  unsubscribeInvalidTitle: 'This link does not work',
  unsubscribeInvalidText: 'It may be incomplete: copy the whole link from the email. If you were unsubscribed already, nothing more is needed.',
  backToCampaign: 'Back to the campaign',
};

const AR: typeof EN = {
  caseStatus: 'حالة القضية',
  timelineHeading: 'المستجدات',
  postedOn: 'نُشر في',
  statusSetTo: 'حالة القضية: {status}',
  unsubscribeTitle: 'إيقاف رسائل المستجدات',
  unsubscribeIntro: 'تصلك رسائل من {organisation} عن حملة «{campaign}» التي وقّعت عليها.',
  unsubscribeChoose: 'أيّ الرسائل تريد إيقافها؟',
  scopeCampaign: 'مستجدات هذه الحملة',
  scopeOrganisation: 'كل ما يصل من {organisation}',
  unsubscribeButton: 'إلغاء الاشتراك',
  unsubscribedTitle: 'أُلغي اشتراكك',
  unsubscribedCampaign: 'لن تصلك بعد الآن مستجدات حملة «{campaign}».',
  unsubscribedOrganisation: 'لن تصلك بعد الآن مستجدات من {organisation}.',
  unsubscribeInvalidTitle: 'هذا الرابط لا يعمل',
  unsubscribeInvalidText: 'ربما نُسخ ناقصاً: انسخ الرابط كاملاً من الرسالة. وإن كنت قد ألغيت اشتراكك من قبل فلا حاجة إلى شيء آخر.',
  backToCampaign: 'العودة إلى الحملة',
};

export type UpdatesStrings = typeof EN;

export const UPDATES_STRINGS: Record<Locale, UpdatesStrings> = { en: EN, ar: AR };
