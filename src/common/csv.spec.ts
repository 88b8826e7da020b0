import { csv, csvCell } from './csv';

describe('csv', () => {
  it('neutralises formulas and quotes what needs it', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    for (const v of ['+1', '-1', '@SUM(A1)', '\tx', '\rx', '\nx', ' =1+1', '\u00a0@x']) expect(csvCell(v).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('Layla, Basra')).toBe('"Layla, Basra"');
    expect(csvCell('ليلى')).toBe('ليلى');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes a header and rows with CRLF', () => {
    expect(csv(['name', 'city'], [['Layla', null]])).toBe('name,city\r\nLayla,\r\n');
  });
});
