/**
 * Campaign text as HTML with a safe subset of formatting: paragraphs (a blank line), line breaks,
 * **strong**, *emphasis* and [links](https://…). Everything is escaped first, so no tag, attribute
 * or entity written by an organiser reaches the page; links accept only http, https and mailto.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The addresses a link may go to; anything else stays as plain text. */
function safeHref(url: string): string | null {
  return /^(?:https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s]+)$/i.test(url) ? url : null;
}

/** One line, already escaped: links, then strong, then emphasis. */
function inline(escaped: string): string {
  return escaped
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) => {
      // `url` is escaped text; unescaping &amp; only matters for query strings and is not needed to judge the scheme.
      const href = safeHref(url);
      return href ? `<a href="${href}" rel="nofollow noopener noreferrer ugc">${label}</a>` : whole;
    })
    .replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g, '$1<em>$2</em>');
}

export function renderRichText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${p.split('\n').map((line) => inline(escapeHtml(line))).join('<br>')}</p>`)
    .join('\n');
}
