import type { Locale } from '../../common/locale';

/** The words of "I didn't get the email" (`/{lang}/c/:slug/resend`) and of its link on the check-email page, per language. */
const EN = {
  resendLink: 'No email? Send the link again',
  resendHeading: 'Send the confirmation link again',
  resendIntro: 'Signed “{campaign}” but no email came? Enter the address you signed with.',
  resendButton: 'Send the link again',
  resendSentHeading: 'Check your email',
  resendSentText:
    'If this address signed “{campaign}” and is waiting to be confirmed, we have sent the link again. If it has confirmed already, a short note says so. It can take a few minutes: look in your spam folder too.',
  resendClosedText: 'It no longer takes confirmations.',
};

const AR: typeof EN = {
  resendLink: 'لم تصلك الرسالة؟ أعِد إرسال الرابط',
  resendHeading: 'إعادة إرسال رابط التأكيد',
  resendIntro: 'وقّعت على «{campaign}» ولم تصلك رسالة؟ اكتب العنوان الذي وقّعت به.',
  resendButton: 'أعِد إرسال الرابط',
  resendSentHeading: 'تفقّد بريدك الإلكتروني',
  resendSentText:
    'إن كان هذا العنوان قد وقّع على «{campaign}» وينتظر التأكيد، فقد أرسلنا إليه الرابط من جديد. وإن كان قد أكّد توقيعه من قبل، تصله رسالة قصيرة بذلك. قد يستغرق وصولها بضع دقائق، فتفقّد مجلد الرسائل غير المرغوب فيها أيضاً.',
  resendClosedText: 'لم تعد تقبل تأكيد التوقيعات.',
};

export type ResendStrings = typeof EN;

export const RESEND_STRINGS: Record<Locale, ResendStrings> = { en: EN, ar: AR };
