import { deliveryIdFromBounceAddress, tokenFromUnsubscribeAddress, UnsubscribeTokens } from './unsubscribe-token';

describe('UnsubscribeTokens', () => {
  const tokens = new UnsubscribeTokens('a-secret-a-secret-a-secret-a-secret');
  const id = '3f2b8c1e-9d4a-4e7b-8a1c-0123456789ab';

  it('round-trips a signature id through a 43-character token', () => {
    const token = tokens.forSignature(id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.signatureOf(token)).toBe(id);
  });

  it('refuses a token changed by one character, another secret’s token and junk', () => {
    const token = tokens.forSignature(id);
    const flipped = token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31);
    expect(tokens.signatureOf(flipped)).toBeNull();
    expect(new UnsubscribeTokens('another-secret-another-secret-xx').signatureOf(token)).toBeNull();
    for (const junk of ['', 'x', 'a'.repeat(43), `${token}=`, null, 42, token.slice(1)]) expect(tokens.signatureOf(junk)).toBeNull();
  });

  it('names the sending organisation in a 64-character token; one changed by one character, or with the organisation swapped, is refused', () => {
    const org = '11111111-2222-4333-8444-555555555555';
    const token = tokens.forSignature(id, org);
    expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(tokens.read(token)).toEqual({ signatureId: id, organisationId: org });
    expect(tokens.signatureOf(token)).toBe(id);
    expect(tokens.read(tokens.forSignature(id))).toEqual({ signatureId: id, organisationId: null });
    const flipped = token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31);
    expect(tokens.read(flipped)).toBeNull();
    // The lead's token with another organisation's bytes put in: the tag no longer matches.
    const other = tokens.forSignature(id, '99999999-2222-4333-8444-555555555555');
    expect(tokens.read(other.slice(0, 43) + token.slice(43))).toBeNull();
    expect(tokenFromUnsubscribeAddress(`unsubscribe+${token}@nida.test`)).toBe(token);
  });

  it('reads bounce and unsubscribe addresses', () => {
    expect(deliveryIdFromBounceAddress(`bounce+u-${id}@nida.test`)).toBe(id);
    expect(deliveryIdFromBounceAddress(`bounce+${id}@nida.test`)).toBeNull();
    const token = tokens.forSignature(id);
    expect(tokenFromUnsubscribeAddress(`unsubscribe+${token}@nida.test`)).toBe(token);
    expect(tokenFromUnsubscribeAddress('unsubscribe+short@nida.test')).toBeNull();
  });
});
