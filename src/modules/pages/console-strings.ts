import type { Locale } from '../../common/locale';

/** The words of the organiser console, per language. Both languages have every key (checked by the type). */
const EN = {
  consoleName: 'Organiser console',
  loginHeading: 'Sign in to the organiser console',
  fieldEmail: 'Email address',
  fieldPassword: 'Password',
  signIn: 'Sign in',
  errorEmailMissing: 'Enter your email address',
  errorPasswordMissing: 'Enter your password',
  errorCredentials: 'The email address or password is wrong',
  /** `{n}`: seconds, in the page's digits. */
  errorThrottled: 'Too many failed attempts. Try again in {n} seconds.',
  csrfHeading: 'This form has expired or came from another site',
  csrfText: 'Go back, reload the page and send the form again.',
  errorCode: 'Code',
  signedInAs: 'Signed in as',
  roleAdmin: 'Admin',
  roleOrganiser: 'Organiser',
  logout: 'Log out',
  loggedOut: 'You are signed out.',
  changePassword: 'Change password',
  fieldCurrentPassword: 'Current password',
  fieldNewPassword: 'New password',
  fieldNewPasswordHint: '12 characters or more. Your other sessions will be signed out.',
  errorCurrentWrong: 'The current password is wrong',
  errorNewPasswordLength: 'Choose a new password of 12 to 256 characters',
  passwordChanged: 'Your password is changed. Your other sessions were signed out.',
  backToConsole: 'Back to the console',
};

export type ConsoleStrings = typeof EN;

const AR: ConsoleStrings = {
  consoleName: 'لوحة المنظِّمين',
  loginHeading: 'تسجيل الدخول إلى لوحة المنظِّمين',
  fieldEmail: 'البريد الإلكتروني',
  fieldPassword: 'كلمة المرور',
  signIn: 'تسجيل الدخول',
  errorEmailMissing: 'أدخل بريدك الإلكتروني',
  errorPasswordMissing: 'أدخل كلمة المرور',
  errorCredentials: 'البريد الإلكتروني أو كلمة المرور غير صحيحة',
  errorThrottled: 'محاولات فاشلة كثيرة. حاول مجددًا بعد {n} ثانية.',
  csrfHeading: 'انتهت صلاحية هذا النموذج أو أُرسل من موقع آخر',
  csrfText: 'عُد إلى الصفحة وأعد تحميلها ثم أرسل النموذج مجددًا.',
  errorCode: 'الرمز',
  signedInAs: 'مسجَّل الدخول باسم',
  roleAdmin: 'مشرف',
  roleOrganiser: 'منظِّم',
  logout: 'تسجيل الخروج',
  loggedOut: 'تم تسجيل خروجك.',
  changePassword: 'تغيير كلمة المرور',
  fieldCurrentPassword: 'كلمة المرور الحالية',
  fieldNewPassword: 'كلمة المرور الجديدة',
  fieldNewPasswordHint: '١٢ حرفًا أو أكثر. سيُسجَّل خروجك من جلساتك الأخرى.',
  errorCurrentWrong: 'كلمة المرور الحالية غير صحيحة',
  errorNewPasswordLength: 'اختر كلمة مرور جديدة من ١٢ إلى ٢٥٦ حرفًا',
  passwordChanged: 'تم تغيير كلمة المرور، وسُجِّل خروجك من جلساتك الأخرى.',
  backToConsole: 'العودة إلى اللوحة',
};

export const CONSOLE_STRINGS: Record<Locale, ConsoleStrings> = { en: EN, ar: AR };
