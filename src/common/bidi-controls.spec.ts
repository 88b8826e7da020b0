import { plainToInstance } from 'class-transformer';
import { stripBidiControls, SupporterText } from './bidi-controls';

describe('stripBidiControls', () => {
  it('removes embeddings, overrides and isolates', () => {
    expect(stripBidiControls('\u202eadiN aiv\u202c x \u202a\u202b\u202d \u2066a\u2067b\u2068c\u2069')).toBe('adiN aiv x  abc');
  });

  it('keeps ZWNJ, ZWJ and the directional marks', () => {
    const kept = 'امیر\u200cحسین \u200d \u200e \u200f \u061c';
    expect(stripBidiControls(kept)).toBe(kept);
  });
});

describe('SupporterText', () => {
  class Dto {
    @SupporterText()
    name: unknown;
  }

  it('strips bidi controls, then trims spaces (not tabs or line breaks)', () => {
    expect(plainToInstance(Dto, { name: ' \u202e Layla\u2069 ' }).name).toBe('Layla');
    expect(plainToInstance(Dto, { name: '\tLayla' }).name).toBe('\tLayla');
    expect(plainToInstance(Dto, { name: 42 }).name).toBe(42);
  });
});
