import type { Locale } from '../campaigns/campaign.entity';

/** The words of the pages, per language. */
export const PAGE_STRINGS: Record<Locale, Record<string, string>> = {
  en: {
    confirmHeading: 'Confirm your signature',
    confirmButton: 'Confirm my signature',
    confirmNote: 'Your signature counts once you press the button.',
    confirmedHeading: 'Thank you — you are counted.',
    backToCampaign: 'Back to the campaign',
    invalidHeading: 'This link does not work',
    invalidText: 'The confirmation link is not valid or has expired. Sign again to get a new one.',
    closedHeading: 'This campaign is closed',
    closedText: 'It no longer takes signatures. Thank you for your support.',
  },
  ar: {
    confirmHeading: 'أكّد توقيعك',
    confirmButton: 'أكّد توقيعي',
    confirmNote: 'يُحتسب توقيعك بعد الضغط على الزر.',
    confirmedHeading: 'شكراً لك — لقد احتُسب توقيعك.',
    backToCampaign: 'العودة إلى الحملة',
    invalidHeading: 'هذا الرابط لا يعمل',
    invalidText: 'رابط التأكيد غير صالح أو انتهت صلاحيته. وقّع من جديد لتصلك رسالة جديدة.',
    closedHeading: 'هذه الحملة مغلقة',
    closedText: 'لم تعد تقبل التوقيعات. شكراً لدعمك.',
  },
};
