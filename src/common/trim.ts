import { Transform } from 'class-transformer';

/** Trims a string field before validation; leaves other types for the validators to refuse. */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * Trims spaces only, so a leading tab or line break stays for the validators to refuse (a tab at
 * the start of a cell is one of the spreadsheet formula tricks).
 */
export const TrimSpaces = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? trimSpaces(value) : value));

/** The text without leading and trailing spaces (U+0020, U+00A0); tabs and line breaks stay. */
export function trimSpaces(value: string): string {
  return value.replace(/^[ \u00a0]+|[ \u00a0]+$/g, '');
}
