import { nameProblem, textProblem } from './create-signature.dto';

describe('nameProblem', () => {
  it('accepts names in any script', () => {
    for (const name of ['Layla Hassan', 'ليلى حسن', 'Jean-Luc O’Brien', 'J. R. Smith', 'Ça Đức', '李小龍']) {
      expect([name, nameProblem(name)]).toEqual([name, null]);
    }
  });

  it('refuses spreadsheet formulas, URLs and line breaks', () => {
    for (const name of ['=HYPERLINK("x")', '+1', '-2', '@cmd', '\tTab', 'visit www.spam.example', 'http://x.y', 'cheap pills.com', 'A\r\nBcc: x@y.z']) {
      expect([name, nameProblem(name)]).toEqual([name, expect.any(String)]);
    }
  });
});

describe('textProblem', () => {
  it('allows line breaks in a comment but not in a city', () => {
    expect(textProblem('comment', 'line one\nline two', true)).toBeNull();
    expect(textProblem('city', 'Basra\nX', false)).toEqual(expect.any(String));
    expect(textProblem('comment', '=1+1', true)).toEqual(expect.any(String));
  });
});
