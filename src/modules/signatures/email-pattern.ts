/**
 * An invalidation's email pattern: a simple glob where `*` stands for any characters and every
 * other character for itself, matched case-insensitively against the whole stored email. `%` is
 * refused (it is no character of an address people use, and looks like SQL's wildcard).
 */
export const EMAIL_PATTERN = /^(?=.*[^*])[^\s%"\p{Cc}]{1,254}$/u;

/**
 * The matcher of a glob that passed EMAIL_PATTERN, for emails as stored (sealed, so matched in
 * Nida once opened, never by PostgreSQL): anchored, case-insensitive, every other character literal.
 */
export function emailPatternRegExp(glob: string): RegExp {
  const body = glob
    .split(/\*+/)
    // Only the characters with a meaning in a pattern are escaped (the u flag refuses any other escape).
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'isu');
}
