import { classifySmtpError } from './smtp-errors';

describe('classifySmtpError', () => {
  it('treats 5xx replies as permanent', () => {
    expect(classifySmtpError({ responseCode: 550, code: 'EENVELOPE', command: 'RCPT TO' })).toEqual({
      permanent: true,
      summary: 'SMTP 550 EENVELOPE during RCPT TO',
    });
  });

  it('treats 4xx replies and dropped connections as temporary', () => {
    expect(classifySmtpError({ responseCode: 451, code: 'EMESSAGE' }).permanent).toBe(false);
    expect(classifySmtpError({ code: 'ECONNECTION' }).permanent).toBe(false);
    expect(classifySmtpError({ code: 'ETIMEDOUT' }).permanent).toBe(false);
    expect(classifySmtpError(new Error('socket hang up')).permanent).toBe(false);
  });

  it('never carries the server text, which may quote an address', () => {
    const failure = classifySmtpError({ responseCode: 550, response: '550 <someone@example.org> unknown', message: 'x' });
    expect(failure.summary).not.toContain('@');
  });
});
