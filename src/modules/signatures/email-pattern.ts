/**
 * An invalidation's email pattern: a simple glob where `*` stands for any characters and every
 * other character for itself, matched case-insensitively against the whole stored email. `%` is
 * refused (it is no character of an address people use, and looks like SQL's wildcard); `_` and
 * `\` are ordinary characters, escaped before the pattern reaches LIKE.
 */
export const EMAIL_PATTERN = /^(?=.*[^*])[^\s%"\p{Cc}]{1,254}$/u;

/** The LIKE pattern (escape character `\`) for a glob that passed EMAIL_PATTERN, lower case. */
export function likePattern(glob: string): string {
  return glob
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replace(/\*+/g, '%');
}
