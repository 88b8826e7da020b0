/**
 * The demo: a coalition's urgent action for an environmental defender who was taken by armed
 * men. Every person and detail is invented, in our own words, after a kind of case that Iraqi
 * coalitions really campaign on.
 */
/**
 * An organisation has one name, shown on pages and emails in both languages: the demo's is
 * bilingual, Arabic first, as a coalition working in both would write it.
 */
export const DEMO_ORGANISATION = 'شبكة المدافعين عن الأهوار (تجريبية) · Marshes Defenders Network (demo)';

export const DEMO_CAMPAIGN = {
  slug: 'where-is-salim-radhi',
  kind: 'urgent_action' as const,
  locale: 'ar' as const,
  goal: 5000,
  /** Its deadline shows in Iraqi time («توقيت العراق»), whatever PAGE_TIME_ZONE says. */
  timeZone: 'Asia/Baghdad',
  title: 'أين سليم راضي؟ نطالب بالكشف عن مصير المدافع عن الأهوار',
  summary:
    'اختُطف المدافع البيئي سليم راضي على يد مسلحين مجهولين قرب الناصرية. نطالب الحكومة بالكشف عن مكانه وضمان سلامته ومحاسبة الخاطفين.',
  body: [
    'سليم راضي مدافع بيئي من الجبايش، كرّس سنوات من عمله لحماية الأهوار ومياهها ومن يعيشون عليها. في مساء الثالث من الشهر الجاري أوقفت سيارة بلا لوحات سيارته على الطريق إلى الناصرية، واقتاده مسلحون إلى جهة مجهولة. لم تتلقَّ عائلته منذ ذلك الحين أي خبر عنه.',
    'ليس سليم أول من يُغيَّب بسبب دفاعه عن البيئة وحقوق الناس. فمنذ عام ٢٠١٩ اختفى ناشطون ومدافعون عن حقوق الإنسان، ولم تُعلن لجان التحقيق الحكومية نتائج، ولم يُحاسَب أحد.',
    'نطالب رئيس الوزراء ووزير الداخلية بالكشف الفوري عن مصير سليم راضي وضمان سلامته الجسدية والنفسية، وبإجراء تحقيق مستقل وعلني يحدد الخاطفين ويحاسبهم، وبحماية المدافعين عن البيئة الذين يتعرضون للتهديد.',
    'وقّعوا الآن: كل توقيع رسالة إلى المسؤولين بأن غياب سليم لن يمرّ بصمت.',
  ].join('\n\n'),
  translations: {
    en: {
      title: 'Where is Salim Radhi? Reveal the fate of the marshes defender',
      summary:
        'Environmental defender Salim Radhi was abducted by unidentified armed men near Nasiriyah. We call on the government to disclose where he is, guarantee his safety and hold his abductors to account.',
      body: [
        'Salim Radhi is an environmental defender from Chibayish who has spent years protecting the marshes, their water and the people who live from them. On the evening of the 3rd of this month, a car without plates stopped his car on the road to Nasiriyah and armed men took him to an unknown place. His family has heard nothing from him since.',
        'Salim is not the first to disappear for defending the environment and people\'s rights. Since 2019 activists and human rights defenders have gone missing; government committees of inquiry have published no findings, and no one has been held to account.',
        'We call on the Prime Minister and the Minister of Interior to disclose at once what has happened to Salim Radhi and to guarantee his physical and mental safety; to open an independent, public investigation that identifies and prosecutes his abductors; and to protect the environmental defenders who are being threatened.',
        'Sign now: every signature tells the officials that Salim\'s absence will not pass in silence.',
      ].join('\n\n'),
    },
  },
  /** The letter in the campaign's language, to the Arabic-speaking target: its name is the salutation. */
  letter: {
    mode: 'per_signature' as const,
    subject: 'نطالب بالكشف عن مصير المدافع البيئي سليم راضي',
    body: [
      '{{target.name}} المحترم،',
      'أكتب إليكم بشأن اختطاف المدافع البيئي سليم راضي قرب الناصرية. أطالبكم بالكشف الفوري عن مكانه وضمان سلامته، وبفتح تحقيق مستقل وعلني يحاسب الخاطفين.',
      'مع الاحترام،',
      '{{supporter.name}}',
    ].join('\n\n'),
  },
  /**
   * The letter to English-speaking targets an organiser adds. A target has one name, in its own
   * language (the demo's is Arabic), so the English salutation does not repeat it.
   */
  letterTranslations: {
    en: {
      subject: 'Reveal the fate of environmental defender Salim Radhi',
      body: [
        'Dear Minister,',
        'I am writing about the abduction of environmental defender Salim Radhi near Nasiriyah. I urge you to disclose at once where he is and to guarantee his safety, and to open an independent, public investigation that holds his abductors to account.',
        'Yours faithfully,',
        '{{supporter.name}}',
      ].join('\n\n'),
    },
  },
  /** An Arabic-speaking official: name, title and ministry in Arabic, as the letter addresses them. */
  target: {
    name: 'معالي وزير الداخلية',
    title: 'مكتب الوزير',
    organisation: 'وزارة الداخلية (جهة تجريبية)',
    email: 'minister.office@example.org',
    locale: 'ar' as const,
    country: 'IQ',
  },
};
