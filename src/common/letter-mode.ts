/** How a campaign writes to its targets: a letter per confirmed signature, a periodic digest, or not at all. */
export const LETTER_MODES = ['per_signature', 'digest', 'none'] as const;
export type LetterMode = (typeof LETTER_MODES)[number];
