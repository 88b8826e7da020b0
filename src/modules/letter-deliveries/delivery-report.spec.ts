import { simpleParser } from 'mailparser';
import { dsn } from '../../../test/support/dsn';
import { letterIdFromBounceAddress, readDeliveryReport } from './delivery-report';

describe('delivery reports', () => {
  it('finds the letter in a VERP address', () => {
    expect(letterIdFromBounceAddress('bounce+3F1E0B4C-8A1D-4C55-9A7E-0D5F4D2B9E11@nida.test')).toBe('3f1e0b4c-8a1d-4c55-9a7e-0d5f4d2b9e11');
    expect(letterIdFromBounceAddress('bounce+nope@nida.test')).toBeNull();
    expect(letterIdFromBounceAddress('someone@nida.test')).toBeNull();
  });

  it('reads permanent and temporary failures from a DSN', async () => {
    expect(readDeliveryReport(await simpleParser(dsn('5.1.1', 'failed')))).toEqual({ kind: 'permanent', status: '5.1.1' });
    expect(readDeliveryReport(await simpleParser(dsn('4.2.2', 'delayed')))).toEqual({ kind: 'temporary', status: '4.2.2' });
  });

  it('ignores automatic replies', async () => {
    const ooo = await simpleParser('From: minister@example.org\r\nAuto-Submitted: auto-replied\r\nSubject: Out of office\r\n\r\nI am away. Status: 5.0.0\r\n');
    expect(readDeliveryReport(ooo)).toEqual({ kind: 'auto-reply' });
  });
});
