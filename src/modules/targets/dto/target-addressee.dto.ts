import type { Locale } from '../../../common/locale';

/** A target as a letter addresses it: its name, and the language its letters are written in. */
export type TargetAddressee = { id: string; name: string; locale: Locale };
