import type { Locale } from '../../common/locale';
import { formatNumber } from '../../common/plural';

/** The words of the console's Photo page (a campaign's photo and share card), per language. */
const EN = {
  heading: 'Photo',
  intro: 'One photo shows on the campaign page and in link previews. Nida keeps only resized copies it makes itself, without any metadata (no camera, date or location).',
  currentHeading: 'Current photo',
  none: 'This campaign has no photo yet.',
  uploadHeading: 'Upload a photo',
  replaceHeading: 'Change the photo or its descriptions',
  fieldImageKeep: 'Leave it empty to keep the current photo and change only its descriptions and credit.',
  save: 'Save',
  textsSaved: 'The descriptions and credit are saved; the photo is unchanged.',
  fieldImage: 'Photo file',
  fieldImageHint: 'JPEG, PNG or WebP, up to {size} MB.',
  fieldAltAr: 'Description in Arabic',
  fieldAltEn: 'Description in English',
  fieldAltHint: 'What the photo shows, for people who cannot see it (required, up to 300 characters).',
  fieldCredit: 'Credit (optional)',
  fieldCreditHint: 'Who took the photo, as it should be printed (up to 200 characters). Leave it empty to protect the photographer.',
  upload: 'Upload photo',
  remove: 'Remove the photo',
  removeHeading: 'Remove this photo?',
  removeText: 'The photo and all its sizes are deleted at once. The campaign page shows no photo until you upload another.',
  removeConfirm: 'Yes, remove the photo',
  cancel: 'Cancel',
  saved: 'The photo is saved.',
  removed: 'The photo is removed.',
  credit: 'Credit',
  sizesLabel: 'Stored sizes',
  sizeLine: '{width} px wide: WebP {webp} KB, JPEG {jpeg} KB',
  cardHeading: 'Link preview card',
  cardText: 'What WhatsApp, Telegram and social sites show when the campaign is shared (1200 × 630). It is made again after a change of title or photo and as the count grows.',
  cardNone: 'No card yet: it is made once the campaign is published (within a few minutes).',
  cardAlt: 'Link preview card',
  errorAltAr: 'Describe the photo in Arabic',
  errorAltEn: 'Describe the photo in English',
  errorAltLong: 'Keep the description to 300 characters',
  errorCreditLong: 'Keep the credit to 200 characters',
  errorFileMissing: 'Choose a photo file',
  errorTooLarge: 'This file is larger than {size} MB. Choose a smaller photo.',
  errorType: 'This file is not a JPEG, PNG or WebP photo.',
  errorTypeMismatch: 'This file\'s name says one kind of image but it holds another (a PNG named .jpg, say). Export the photo again or rename it.',
  errorPixels: 'This image is too large in pixels. Choose a smaller photo.',
  errorUnreadable: 'This photo could not be read: the file is damaged or incomplete.',
  errorTooSmall: 'This photo is too small: at least 200 pixels wide and high.',
  errorUpload: 'The upload could not be read. Send the form again.',
  /** The code of a refusal, shown after the sentence. */
  errorCode: 'code',
};

export type ConsolePhotoStrings = typeof EN;

const AR: ConsolePhotoStrings = {
  heading: 'الصورة',
  intro: 'تظهر صورة واحدة في صفحة الحملة وفي معاينات الروابط. لا يحتفظ «نداء» إلا بنسخ مصغّرة يصنعها بنفسه، بلا أي بيانات وصفية (لا آلة تصوير ولا تاريخ ولا موقع).',
  currentHeading: 'الصورة الحالية',
  none: 'لا صورة لهذه الحملة بعد.',
  uploadHeading: 'رفع صورة',
  replaceHeading: 'تغيير الصورة أو وصفها',
  fieldImageKeep: 'اتركه فارغاً لتبقى الصورة الحالية ويتغيّر وصفها وحقوقها فقط.',
  save: 'حفظ',
  textsSaved: 'حُفظ الوصف وحقوق الصورة، ولم تتغيّر الصورة.',
  fieldImage: 'ملف الصورة',
  fieldImageHint: 'بصيغة JPEG أو PNG أو WebP، حتى {size} ميغابايت.',
  fieldAltAr: 'الوصف بالعربية',
  fieldAltEn: 'الوصف بالإنجليزية',
  fieldAltHint: 'ما تُظهره الصورة، لمن لا يستطيع رؤيتها (مطلوب، حتى ٣٠٠ حرف).',
  fieldCredit: 'حقوق الصورة (اختياري)',
  fieldCreditHint: 'اسم من التقط الصورة كما يجب أن يُكتب (حتى ٢٠٠ حرف). اتركه فارغاً لحماية المصوِّر.',
  upload: 'رفع الصورة',
  remove: 'حذف الصورة',
  removeHeading: 'أتريد حذف هذه الصورة؟',
  removeText: 'تُحذف الصورة وجميع مقاساتها فوراً. لن تُظهر صفحة الحملة أي صورة حتى ترفع غيرها.',
  removeConfirm: 'نعم، احذف الصورة',
  cancel: 'إلغاء',
  saved: 'حُفظت الصورة.',
  removed: 'حُذفت الصورة.',
  credit: 'حقوق الصورة',
  sizesLabel: 'المقاسات المحفوظة',
  sizeLine: 'بعرض {width} بكسل: WebP ‏{webp} كيلوبايت، JPEG ‏{jpeg} كيلوبايت',
  cardHeading: 'بطاقة معاينة الرابط',
  cardText: 'ما يُظهره واتساب وتيليغرام ومواقع التواصل عند مشاركة الحملة (١٢٠٠ × ٦٣٠). تُصنع من جديد بعد تغيير العنوان أو الصورة ومع نموّ العدد.',
  cardNone: 'لا بطاقة بعد: تُصنع بعد نشر الحملة (خلال بضع دقائق).',
  cardAlt: 'بطاقة معاينة الرابط',
  errorAltAr: 'صِف الصورة بالعربية',
  errorAltEn: 'صِف الصورة بالإنجليزية',
  errorAltLong: 'اجعل الوصف في حدود ٣٠٠ حرف',
  errorCreditLong: 'اجعل حقوق الصورة في حدود ٢٠٠ حرف',
  errorFileMissing: 'اختر ملف صورة',
  errorTooLarge: 'هذا الملف أكبر من {size} ميغابايت. اختر صورة أصغر.',
  errorType: 'هذا الملف ليس صورة بصيغة JPEG أو PNG أو WebP.',
  errorTypeMismatch: 'اسم هذا الملف يدلّ على نوع صورة ومحتواه من نوع آخر (ملف PNG باسم ‎.jpg مثلًا). صدّر الصورة من جديد أو غيّر اسمها.',
  errorPixels: 'أبعاد هذه الصورة كبيرة جداً. اختر صورة أصغر.',
  errorUnreadable: 'تعذّرت قراءة هذه الصورة: الملف تالف أو ناقص.',
  errorTooSmall: 'هذه الصورة صغيرة جداً: ٢٠٠ بكسل عرضاً وارتفاعاً على الأقل.',
  errorUpload: 'تعذّرت قراءة الملف المرفوع. أرسل النموذج مرة أخرى.',
  errorCode: 'الرمز',
};

export const CONSOLE_PHOTO_STRINGS: Record<Locale, ConsolePhotoStrings> = { en: EN, ar: AR };

/** A byte count in KB (one decimal), in the page's digits. */
export function kilobytes(bytes: number, locale: Locale): string {
  return formatNumber(Math.round(bytes / 102.4) / 10, locale);
}

/** IMAGE_MAX_BYTES in MB, in the page's digits. */
export function megabytes(bytes: number, locale: Locale): string {
  return formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10, locale);
}
