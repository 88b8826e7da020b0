import type { Locale } from '../../common/locale';
import type { PluralForms } from '../../common/plural';

/** The console's words for officials' answers and dossiers (the target page), per language. */
const EN = {
  answerBadge: 'Answer through the letter’s link',
  answeredBy: 'Answered by {who}',
  statusPending: 'Awaiting your approval',
  statusApproved: 'Approved',
  statusRejected: 'Rejected',
  shownPublicly: 'Shown on the campaign page',
  notShown: 'Not shown on the campaign page',
  approvePublic: 'Approve and show on the campaign page',
  approvePrivate: 'Approve without showing it',
  reject: 'Reject',
  makePublic: 'Show on the campaign page',
  makePrivate: 'Stop showing it',
  pendingCount: { one: '{n} answer awaits your approval', other: '{n} answers await your approval' } as PluralForms,
  decided: 'Done: the answer was updated.',
  alreadyDecided: 'Another organiser decided on this answer first; it is shown as it now is.',
  dossierHeading: 'Dossier',
  dossierIntro: 'The petition as a PDF for this official, in their language: the letter, the campaign text, the verified count, the countries and the names of supporters who agreed to be shown.',
  dossierDownload: 'Download the dossier (PDF)',
  dossierSend: 'Email the dossier to {email}',
  dossierQueued: 'The dossier will be emailed to the official in a moment.',
  dossierSuppressed: 'Letters to this address stopped after bounces: the dossier cannot be emailed.',
  dossierSends: 'Dossiers emailed',
  dossierStatus: { pending: 'Being sent', sent: 'Sent', failed: 'Failed' },
};

const AR: typeof EN = {
  answerBadge: 'ردّ عبر رابط الرسالة',
  answeredBy: 'الرادّ: {who}',
  statusPending: 'بانتظار موافقتكم',
  statusApproved: 'تمّت الموافقة',
  statusRejected: 'مرفوض',
  shownPublicly: 'معروض في صفحة الحملة',
  notShown: 'غير معروض في صفحة الحملة',
  approvePublic: 'الموافقة وعرضه في صفحة الحملة',
  approvePrivate: 'الموافقة دون عرضه',
  reject: 'رفض',
  makePublic: 'عرضه في صفحة الحملة',
  makePrivate: 'إيقاف عرضه',
  pendingCount: { zero: 'لا ردود بانتظار موافقتكم', one: 'ردّ واحد بانتظار موافقتكم', two: 'ردّان بانتظار موافقتكم', few: '{n} ردود بانتظار موافقتكم', many: '{n} ردًّا بانتظار موافقتكم', other: '{n} ردّ بانتظار موافقتكم' },
  decided: 'تمّ: حُدِّث الردّ.',
  alreadyDecided: 'سبقكم منظّم آخر إلى البتّ في هذا الردّ؛ وهو معروض كما هو الآن.',
  dossierHeading: 'الملف',
  dossierIntro: 'العريضة في ملف جاهز للطباعة لهذا المسؤول بلغته: الرسالة ونصّ الحملة وعدد التواقيع المؤكَّدة والبلدان وأسماء المؤيّدين الذين قبلوا إظهارها.',
  dossierDownload: 'تنزيل الملف الجاهز للطباعة',
  dossierSend: 'إرسال الملف بالبريد إلى {email}',
  dossierQueued: 'سيُرسل الملف إلى المسؤول بعد لحظات.',
  dossierSuppressed: 'توقّفت الرسائل إلى هذا العنوان بعد ارتدادها: لا يمكن إرسال الملف إليه.',
  dossierSends: 'الملفات المرسَلة',
  dossierStatus: { pending: 'قيد الإرسال', sent: 'أُرسل', failed: 'فشل' },
};

export type ConsoleAnswersStrings = typeof EN;
export const CONSOLE_ANSWERS_STRINGS: Record<Locale, ConsoleAnswersStrings> = { en: EN, ar: AR };
