import type { Locale } from '../../common/locale';
import type { PluralForms } from '../../common/plural';

/**
 * The words of the console's Statistics page, per language (both have every key: checked by the
 * type). Placeholders are filled in the page's digits.
 */
const EN = {
  /** `{title}`: the campaign's title. */
  heading: 'Statistics: {title}',
  overviewHeading: 'At a glance',
  verified: 'Verified signatures (the public count)',
  pending: 'Waiting for their email confirmation',
  held: 'Held by the abuse checks',
  invalidated: 'Invalidated',
  perDayHeading: 'Verified signatures per day',
  cumulativeHeading: 'Verified signatures in total, over time',
  /** `{from}`, `{to}`: days; `{zone}`: the campaign's time zone, named in the page's language. */
  range: 'From {from} to {to}, days as they fall in {zone}.',
  /** The charts stop at this many days back. */
  capped: { one: 'The charts show the last day only.', other: 'The charts show the last {n} days only.' } as PluralForms,
  /** Verified before the first day drawn: they are in the totals. */
  cappedBefore: {
    one: '{n} signature verified before that is counted in the totals.',
    other: '{n} signatures verified before that are counted in the totals.',
  } as PluralForms,
  /** `{from}`, `{to}`: days; `{total}`: all in the range; `{peakDay}`, `{peak}`: the busiest day and its count. */
  perDayLabel: 'Bar chart: verified signatures per day from {from} to {to}; {total} in these days, the most on {peakDay} ({peak}). The numbers are in the table below.',
  /** `{start}`, `{end}`: the totals on the first and the last day. */
  cumulativeLabel: 'Line chart: the total of verified signatures from {from} to {to}, from {start} to {end}. The numbers are in the table below.',
  tableSummary: 'Show the numbers of both charts, day by day (table)',
  tableCaption: 'Verified signatures per day and in total',
  colDay: 'Day',
  colThatDay: 'Verified that day',
  colTotal: 'Total so far',
  noSignatures: 'No verified signatures yet: the charts appear with the first one.',
  countryHeading: 'By country',
  colCountry: 'Country',
  colSignatures: 'Signatures',
  colShare: 'Share',
  countryUnknown: 'Unknown country',
  /** `{goal}`: the campaign's goal. */
  milestonesGoal: 'The goal is {goal} signatures. Nida records the moment the count reaches each quarter of it.',
  milestonesRound: 'This campaign has no goal, so its milestones are round numbers. The day each was passed is read from the verified signatures per day.',
  milestonesComputed: 'A date marked “from the daily counts” was not recorded when it happened (for instance, the goal was set or changed afterwards): it is the day the verified signatures per day first add up to that number.',
  milestonesHeading: 'Milestones',
  colMilestone: 'Milestone',
  colReached: 'Reached on',
  /** `{percent}`: a share of the goal; `{n}`: that many signatures. */
  milestonePercent: '{percent} of the goal ({n})',
  milestoneRound: { one: '{n} signature', other: '{n} signatures' } as PluralForms,
  notYet: 'Not yet',
  fromDaily: 'from the daily counts',
  lettersHeading: 'Letters and replies per official',
  colOfficial: 'Official',
  colSent: 'Sent',
  colFailed: 'Failed',
  colBounced: 'Bounced',
  colWaiting: 'Waiting to be sent',
  colReplies: 'Replies',
  colLatestReply: 'Latest reply',
  noReply: 'None',
  noTargets: 'This campaign has no officials yet.',
};

export type ConsoleStatsStrings = typeof EN;

const AR: ConsoleStatsStrings = {
  heading: 'الإحصاءات: {title}',
  overviewHeading: 'لمحة سريعة',
  verified: 'التواقيع المؤكَّدة (العدد المعلَن)',
  pending: 'بانتظار تأكيد البريد الإلكتروني',
  held: 'محتجزة لدى فحوص الإساءة',
  invalidated: 'أُبطلت',
  perDayHeading: 'التواقيع المؤكَّدة يوميًا',
  cumulativeHeading: 'مجموع التواقيع المؤكَّدة عبر الزمن',
  range: 'من {from} إلى {to}، والأيام بحسب {zone}.',
  capped: {
    zero: 'لا يعرض الرسمان أي يوم.',
    one: 'يعرض الرسمان اليوم الأخير فقط.',
    two: 'يعرض الرسمان اليومين الأخيرين فقط.',
    few: 'يعرض الرسمان آخر {n} أيام فقط.',
    many: 'يعرض الرسمان آخر {n} يومًا فقط.',
    other: 'يعرض الرسمان آخر {n} يوم فقط.',
  },
  cappedBefore: {
    zero: 'لا تواقيع مؤكَّدة قبل ذلك.',
    one: 'توقيع واحد أُكِّد قبل ذلك محسوب في المجموع.',
    two: 'توقيعان أُكِّدا قبل ذلك محسوبان في المجموع.',
    few: '{n} تواقيع أُكِّدت قبل ذلك محسوبة في المجموع.',
    many: '{n} توقيعًا أُكِّدت قبل ذلك محسوبة في المجموع.',
    other: '{n} توقيع أُكِّدت قبل ذلك محسوبة في المجموع.',
  },
  perDayLabel: 'رسم بالأعمدة: التواقيع المؤكَّدة يوميًا من {from} إلى {to}؛ {total} في هذه الأيام، وأكثرها في {peakDay} ({peak}). الأرقام في الجدول أدناه.',
  cumulativeLabel: 'رسم خطي: مجموع التواقيع المؤكَّدة من {from} إلى {to}، من {start} إلى {end}. الأرقام في الجدول أدناه.',
  tableSummary: 'اعرض أرقام الرسمَين يومًا بيوم (جدول)',
  tableCaption: 'التواقيع المؤكَّدة يوميًا ومجموعها',
  colDay: 'اليوم',
  colThatDay: 'المؤكَّدة في ذلك اليوم',
  colTotal: 'المجموع حتى ذلك اليوم',
  noSignatures: 'لا تواقيع مؤكَّدة بعد: يظهر الرسمان مع أولها.',
  countryHeading: 'بحسب البلد',
  colCountry: 'البلد',
  colSignatures: 'التواقيع',
  colShare: 'النسبة',
  countryUnknown: 'بلد غير معروف',
  milestonesGoal: 'الهدف {goal} توقيع. تسجّل «نداء» لحظة بلوغ العدد كلَّ ربع منه.',
  milestonesRound: 'لا هدف لهذه الحملة، فمحطاتها أعداد مستديرة، ويُقرأ يوم تجاوز كلٍّ منها من التواقيع المؤكَّدة يوميًا.',
  milestonesComputed: 'التاريخ الموسوم «من الأعداد اليومية» لم يُسجَّل لحظة حدوثه (كأن يُحدَّد الهدف أو يُغيَّر بعد ذلك)، وهو أول يوم يبلغ فيه مجموع التواقيع المؤكَّدة يوميًا ذلك العدد.',
  milestonesHeading: 'المحطات',
  colMilestone: 'المحطة',
  colReached: 'تاريخ بلوغها',
  milestonePercent: '{percent} من الهدف ({n})',
  milestoneRound: {
    zero: '{n} توقيع',
    one: 'توقيع واحد',
    two: 'توقيعان',
    few: '{n} تواقيع',
    many: '{n} توقيعًا',
    other: '{n} توقيع',
  },
  notYet: 'لم تُبلَغ بعد',
  fromDaily: 'من الأعداد اليومية',
  lettersHeading: 'الرسائل والردود لكل مسؤول',
  colOfficial: 'المسؤول',
  colSent: 'أُرسلت',
  colFailed: 'فشلت',
  colBounced: 'ارتدّت',
  colWaiting: 'بانتظار الإرسال',
  colReplies: 'الردود',
  colLatestReply: 'آخر رد',
  noReply: 'لا يوجد',
  noTargets: 'لا مسؤولين لهذه الحملة بعد.',
};

export const CONSOLE_STATS_STRINGS: Record<Locale, ConsoleStatsStrings> = { en: EN, ar: AR };
