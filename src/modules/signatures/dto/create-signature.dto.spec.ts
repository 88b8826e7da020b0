import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { AppError } from '../../../common/app-error';
import { createValidationPipe, VALIDATION_OPTIONS } from '../../../common/validation.pipe';
import { compiledCreateSignature, CreateSignatureDto, nameProblem, textProblem } from './create-signature.dto';

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

describe('compiledCreateSignature (the signing route’s compiled check)', () => {
  const metadata: ArgumentMetadata = { type: 'body', metatype: CreateSignatureDto, data: undefined };
  const reference = new ValidationPipe(VALIDATION_OPTIONS);
  const pipe = createValidationPipe();
  const ORG = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

  /** What a refusal says: its status, code and every field's problems. */
  const answerOf = (error: unknown) =>
    error instanceof AppError ? { status: error.status, code: error.code, details: error.details } : { unexpected: String(error) };

  /** What class-validator alone makes of a body: the DTO, or the error it answers. */
  async function referenceOf(body: unknown): Promise<{ dto?: unknown; error?: unknown }> {
    try {
      return { dto: await reference.transform(structuredClone(body), metadata) };
    } catch (error) {
      return { error: answerOf(error) };
    }
  }

  // Values for each field: valid, borderline and invalid; a body takes one of each (or leaves it out).
  const long = (n: number, c = 'a') => c.repeat(n);
  const VALUES: Record<string, unknown[]> = {
    name: ['Layla', ' Layla Hassan ', 'ليلى حسن', '\u202eLayla', '\u202e', ' ', '', long(100), long(101), ` ${long(100)} `, '😀'.repeat(60), '\uFE0F', 7, null, ['x'], { a: 1 }],
    email: ['layla@example.org', ' layla@example.org ', 'LAYLA@Example.ORG', 'لیلا@example.org', '"layla"@gmail.com', 'la\\yla@example.org', 'layla@[127.0.0.1]', 'layla@127.0.0.1', 'layla', '', `${long(245)}@example.org`, `${long(64)}@example.org`, 1, null],
    country: ['IQ', 'iq', ' iq ', 'GB', 'XX', 'IRQ', '', 3, null],
    city: [undefined, 'Basra', ' Basra ', '\u202eBasra', '', long(100), long(101), 5, null],
    comment: [undefined, 'Free him.', 'line one\nline two', long(1000), long(1001), `${long(1000)} `, false, null],
    showName: [undefined, true, false, 'true', 1, null],
    contactConsent: [undefined, true, false, [], [ORG], [ORG.toUpperCase(), ORG], ['not-a-uuid'], Array(51).fill(ORG), Array(50).fill(ORG), 'yes', null, [1]],
    replyConsent: [undefined, true, false, 'false', null],
    locale: [undefined, 'ar', 'en', 'fr', 'AR', null],
    extra: [undefined, undefined, undefined, 'x', null],
  };

  function* bodies(count: number): Generator<unknown> {
    // mulberry32: the same bodies on every run.
    let seed = 20261201;
    const next = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) % n;
    };
    // Mostly valid bodies (each field's first values), then anything goes.
    for (let i = 0; i < count; i++) {
      const body: Record<string, unknown> = {};
      const wild = i % 2 === 1;
      for (const [field, values] of Object.entries(VALUES)) {
        const value = values[next(wild ? values.length : Math.min(values.length, 4))];
        if (value !== undefined) body[field] = value;
      }
      if (next(20) === 0) delete body[Object.keys(VALUES)[next(3)]];
      yield body;
    }
    // Every value of every field in an otherwise valid body, alone and beside each other field's.
    const base = { name: 'Layla', email: 'layla@example.org', country: 'IQ', city: 'Basra', contactConsent: [ORG], locale: 'ar' };
    for (const [field, values] of Object.entries(VALUES)) {
      for (const value of values) {
        const one: Record<string, unknown> = { ...base, [field]: value };
        if (value === undefined) delete one[field];
        yield one;
      }
    }
    yield* [null, [], 'name', 42, Object.create(null), Object.assign(Object.create({ inherited: 1 }), { name: 'L', email: 'l@example.org', country: 'IQ' })];
  }

  it('takes a body only when class-validator takes it, and makes the same DTO of it; refusals are class-validator’s own', async () => {
    let compiled = 0;
    let refused = 0;
    for (const body of bodies(3000)) {
      const expected = await referenceOf(body);
      const fast = compiledCreateSignature(structuredClone(body));
      if (fast !== null) {
        compiled++;
        expect({ body, error: expected.error }).toEqual({ body, error: undefined });
        expect(fast).toBeInstanceOf(CreateSignatureDto);
        expect(fast).toStrictEqual(expected.dto);
      }
      // The global pipe answers as class-validator does, through whichever path.
      let got: { dto?: unknown; error?: unknown };
      try {
        got = { dto: await pipe.transform(structuredClone(body), metadata) };
      } catch (error) {
        got = { error: answerOf(error) };
      }
      if (expected.error) refused++;
      expect({ body, ...got }).toStrictEqual({ body, ...expected });
    }
    // Both paths were exercised: most valid bodies compiled, many bodies refused.
    console.log(`${compiled} bodies compiled, ${refused} refused`);
    expect(compiled).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(1000);
  });

  it('is what the global pipe uses for a signature’s body (not for another class, nor for a query)', async () => {
    const body = { name: 'Layla', email: 'layla@example.org', country: 'iq', showName: true };
    const dto = await pipe.transform(body, metadata);
    expect(dto).toStrictEqual(compiledCreateSignature(body));
    expect(dto).toMatchObject({ country: 'IQ' });
    // A body whose check fails still gets class-validator's full answer.
    await expect(pipe.transform({ ...body, email: 'nope' }, metadata)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'email', problems: ['email must be an email address'] }],
    });
  });
});
