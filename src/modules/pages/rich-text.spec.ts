import { renderRichText } from './rich-text';

describe('renderRichText', () => {
  it('makes paragraphs from blank lines and line breaks from single ones', () => {
    expect(renderRichText('one\ntwo\n\n\nthree')).toBe('<p>one<br>two</p>\n<p>three</p>');
  });

  it('renders strong, emphasis and links', () => {
    expect(renderRichText('**Free him** *now*: [read](https://example.org/a?b=1&c=2)')).toBe(
      '<p><strong>Free him</strong> <em>now</em>: <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer ugc">read</a></p>',
    );
  });

  it('escapes every tag and attribute an organiser writes', () => {
    const html = renderRichText('<script>alert(1)</script> <img src=x onerror="alert(2)"> &amp;');
    expect(html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp;amp;</p>');
  });

  it('keeps links to other schemes as plain text', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'JaVaScRiPt:alert(1)', '//evil.example']) {
      expect(renderRichText(`[x](${url})`)).not.toContain('<a ');
    }
  });

  it('cannot break out of the href attribute', () => {
    const html = renderRichText('[x](https://a.example/"onmouseover="alert(1))');
    expect(html).not.toMatch(/href="[^"]*"onmouseover/);
    expect(html).not.toContain('" onmouseover');
  });

  it('keeps Arabic text and asterisks that are not emphasis', () => {
    expect(renderRichText('أين **سالم**؟ 2 * 3 = 6')).toBe('<p>أين <strong>سالم</strong>؟ 2 * 3 = 6</p>');
  });
});
