/** Characters that make a spreadsheet treat a cell as a formula, and a tab. */
const FORMULA_START = /^[=+\-@\t]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;
const URL_LIKE = /(:\/\/|www\.|\b[\p{L}\p{N}-]+\.(?:com|net|org|info|io|ru|cn|xyz|top|ly|me|co|biz|online|site|click|link)\b)/iu;

/** Why a supporter's name is refused, or null when it is fine. Any script is welcome. */
export function nameProblem(name: string): string | null {
  if (FORMULA_START.test(name)) return 'name may not start with = + - @ or a tab';
  if (CONTROL.test(name)) return 'name may not contain control characters or line breaks';
  if (URL_LIKE.test(name)) return 'name may not contain a web address';
  return null;
}

/** Why a free-text field (city, comment) is refused, or null. Line breaks are allowed in comments. */
export function textProblem(field: string, value: string, allowLineBreaks: boolean): string | null {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const control = allowLineBreaks ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/ : CONTROL;
  if (control.test(value)) return `${field} may not contain control characters`;
  if (FORMULA_START.test(value)) return `${field} may not start with = + - @ or a tab`;
  return null;
}
