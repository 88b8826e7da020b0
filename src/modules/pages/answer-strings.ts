import type { Locale } from '../../common/locale';

/** The words of the officials' answer page, per language. */
const EN = {
  title: 'Answer the campaign',
  intro: 'You received letters from supporters of the campaign “{campaign}”, addressed to {target}. You can answer it here.',
  moderated: 'Your answer goes to the campaign’s organisers. They may publish it on the campaign page, with the date and the name of your office.',
  fieldText: 'Your answer',
  fieldName: 'Your name (optional)',
  fieldPosition: 'Your position (optional)',
  submit: 'Send the answer',
  errorText: 'Write your answer.',
  errorTextLong: 'The answer can be at most {max} characters.',
  errorName: 'The name can be at most {max} characters.',
  errorPosition: 'The position can be at most {max} characters.',
  errorSummary: 'There is a problem',
  receivedTitle: 'Your answer was received',
  receivedText: 'Thank you. The campaign’s organisers will read it; if they publish it, it will appear on the campaign page.',
  limitedTitle: 'Too many answers',
  limitedText: 'This link has sent many answers today. Please try again tomorrow.',
  invalidTitle: 'This link does not work',
  invalidText: 'It may be incomplete (copy the whole link from the letter), or the campaign ended some time ago.',
  crossSiteTitle: 'The form could not be sent',
  honeypotLabel: 'Leave this field empty',
  backToCampaign: 'See the campaign',
};

const AR: typeof EN = {
  title: 'الردّ على الحملة',
  intro: 'وصلتكم رسائل من مؤيّدي حملة «{campaign}» موجّهة إلى {target}. يمكنكم الردّ عليها هنا.',
  moderated: 'يصل ردّكم إلى منظّمي الحملة، وقد ينشرونه في صفحة الحملة مع تاريخه واسم جهتكم.',
  fieldText: 'ردّكم',
  fieldName: 'الاسم (اختياري)',
  fieldPosition: 'المنصب (اختياري)',
  submit: 'إرسال الردّ',
  errorText: 'اكتبوا ردّكم.',
  errorTextLong: 'لا يتجاوز الردّ {max} حرف.',
  errorName: 'لا يتجاوز الاسم {max} حرف.',
  errorPosition: 'لا يتجاوز المنصب {max} حرف.',
  errorSummary: 'ثمّة مشكلة',
  receivedTitle: 'وصل ردّكم',
  receivedText: 'شكراً لكم. سيقرأ منظّمو الحملة ردّكم، وإن نشروه فسيظهر في صفحة الحملة.',
  limitedTitle: 'ردود كثيرة',
  limitedText: 'أُرسلت من هذا الرابط ردود كثيرة اليوم. يُرجى المحاولة غداً.',
  invalidTitle: 'هذا الرابط لا يعمل',
  invalidText: 'ربما نُسخ ناقصاً (انسخوا الرابط كاملاً من الرسالة)، أو انتهت الحملة منذ مدّة.',
  crossSiteTitle: 'تعذّر إرسال النموذج',
  honeypotLabel: 'اتركوا هذا الحقل فارغاً',
  backToCampaign: 'صفحة الحملة',
};

export type AnswerStrings = typeof EN;
export const ANSWER_STRINGS: Record<Locale, AnswerStrings> = { en: EN, ar: AR };
