import type { LetterStatus } from '../letter.entity';

/** How many of a target's letters are in each status (a campaign's stats). */
export type TargetLetterTotals = { targetId: string; name: string; totals: Record<LetterStatus, number> };
