import { createOrganiserWithOrganisation, OrganiserLogin } from '../support/factories';
import { SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { CONSOLE_STRINGS } from '../../src/modules/pages/console-strings';

const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
const PASSWORD = 'a-long-enough-password';
const en = CONSOLE_STRINGS.en;
const ar = CONSOLE_STRINGS.ar;

/** `name=value` of a Set-Cookie list, or null. */
function cookieFrom(setCookie: string[] | string | undefined, name: string): { pair: string; header: string } | null {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const header = list.find((c) => c.startsWith(`${name}=`));
  return header ? { pair: header.split(';')[0], header } : null;
}

const csrfOf = (html: string) => {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no csrf field on the page');
  return match[1];
};

/** The organiser console's sign-in, through HTTP as a browser without JavaScript would use it. */
describe('console sign-in (e2e)', () => {
  let t: TestApp;
  let organiser: OrganiserLogin;
  const smtp = new SmtpSink();

  /** The login page's cookie and form token. */
  async function loginForm(locale = 'en') {
    const page = await t.http().get(`/${locale}/console/login`);
    expect(page.status).toBe(200);
    const cookie = cookieFrom(page.headers['set-cookie'], 'nida_login');
    if (!cookie) throw new Error('no login cookie');
    return { cookie: cookie.pair, csrf: csrfOf(page.text) };
  }

  /** Signs in through the form; returns the response and the session cookie (`nida_session=…`). */
  async function signIn(email: string, password = PASSWORD, locale = 'en') {
    const form = await loginForm(locale);
    const res = await t.http().post(`/${locale}/console/login`).set(SAME_ORIGIN).set('Cookie', form.cookie).type(FORM).send({ csrf: form.csrf, email, password });
    return { res, session: cookieFrom(res.headers['set-cookie'], 'nida_session') };
  }

  async function session(email: string, password = PASSWORD): Promise<string> {
    const { res, session: cookie } = await signIn(email, password);
    if (res.status !== 303 || !cookie) throw new Error(`sign-in failed: ${res.status}`);
    return cookie.pair;
  }

  const home = (cookie: string, locale = 'en') => t.http().get(`/${locale}/console`).set('Cookie', cookie);
  const hashOf = (cookie: string) => cookie.split('=')[1];

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), LOGIN_FIRST_DELAY_SECONDS: '120' }); // the throttle test's wait outlasts a slow machine
    organiser = await createOrganiserWithOrganisation(t);
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  it('shows the login page in both languages, Arabic right to left, and /console/login by Accept-Language', async () => {
    const arPage = await t.http().get('/ar/console/login');
    expect(arPage.status).toBe(200);
    expect(arPage.text).toMatch(/<html lang="ar" dir="rtl">/);
    expect(arPage.text).toContain(ar.loginHeading);
    expect(arPage.text).not.toContain(en.loginHeading);
    expect(arPage.text).not.toMatch(/>\s*(Sign in|Password|Email address)\s*</);
    expect(arPage.headers['cache-control']).toBe('no-store');
    const enPage = await t.http().get('/en/console/login');
    expect(enPage.text).toMatch(/<html lang="en" dir="ltr">/);
    expect(enPage.text).toContain(en.loginHeading);
    const negotiated = await t.http().get('/console/login').set('Accept-Language', 'ar-IQ,en;q=0.5');
    expect(negotiated.text).toMatch(/<html lang="ar" dir="rtl">/);
    expect(negotiated.headers.vary).toMatch(/Accept-Language/);
    expect(negotiated.text).toContain('action="/ar/console/login"');
  });

  it('refuses a wrong password with the error beside the field and the email kept; the right one opens a session', async () => {
    const wrong = await signIn(organiser.email, 'not-the-password');
    expect(wrong.res.status).toBe(401);
    expect(wrong.session).toBeNull();
    expect(wrong.res.text).toContain(`id="f-password-error">${en.errorCredentials}`);
    expect(wrong.res.text).toContain(`value="${organiser.email}"`);

    const arEmpty = await loginForm('ar');
    const missing = await t.http().post('/ar/console/login').set(SAME_ORIGIN).set('Cookie', arEmpty.cookie).type(FORM).send({ csrf: arEmpty.csrf, email: '', password: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain(ar.errorEmailMissing);
    expect(missing.text).toContain(ar.errorPasswordMissing);

    const right = await signIn(organiser.email.toUpperCase());
    expect(right.res.status).toBe(303);
    expect(right.res.headers.location).toBe('/en/console');
    expect(right.session?.header).toMatch(/^nida_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const page = await home(right.session!.pair);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Noor Organiser');
    expect(page.text).toContain(organiser.email);
    const arHome = await home(right.session!.pair, 'ar');
    expect(arHome.text).toMatch(/<html lang="ar" dir="rtl">/);
    expect(arHome.text).toContain(ar.signedInAs);

    // Only the token's hash is stored, and the login is audited as the API's is.
    const stored = await t.db.query(`SELECT encode(id, 'hex') AS id FROM console_sessions WHERE organiser_id = $1`, [organiser.organiserId]);
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(hashOf(right.session!.pair));
    const audited = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.login' AND actor_id = $1`, [organiser.organiserId]);
    expect(audited[0].n).toBeGreaterThanOrEqual(2);
  });

  it('sends an unknown or missing session to the login page', async () => {
    for (const cookie of ['', 'nida_session=nonsense', `nida_session=${'A'.repeat(43)}`]) {
      const res = await home(cookie, 'ar');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/ar/console/login');
    }
  });

  it('refuses posts without the right CSRF token (403, CONSOLE_CSRF_INVALID)', async () => {
    const form = await loginForm();
    const noToken = await t.http().post('/en/console/login').set(SAME_ORIGIN).set('Cookie', form.cookie).type(FORM).send({ email: organiser.email, password: PASSWORD });
    const wrongToken = await t.http().post('/en/console/login').set(SAME_ORIGIN).set('Cookie', form.cookie).type(FORM).send({ csrf: 'x'.repeat(43), email: organiser.email, password: PASSWORD });
    const noCookie = await t.http().post('/en/console/login').set(SAME_ORIGIN).type(FORM).send({ csrf: form.csrf, email: organiser.email, password: PASSWORD });
    const crossSite = await t.http().post('/en/console/login').set('Sec-Fetch-Site', 'cross-site').set('Cookie', form.cookie).type(FORM).send({ csrf: form.csrf, email: organiser.email, password: PASSWORD });
    for (const res of [noToken, wrongToken, noCookie, crossSite]) {
      expect(res.status).toBe(403);
      expect(res.headers['x-error-code']).toBe('CONSOLE_CSRF_INVALID');
      expect(res.text).toContain('CONSOLE_CSRF_INVALID');
      expect(cookieFrom(res.headers['set-cookie'], 'nida_session')).toBeNull();
    }

    const cookie = await session(organiser.email);
    const logoutNoToken = await t.http().post('/en/console/logout').set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({});
    expect(logoutNoToken.status).toBe(403);
    expect(logoutNoToken.text).toContain('CONSOLE_CSRF_INVALID');
    // Another session's token is not this one's.
    const other = await session(organiser.email);
    const otherToken = csrfOf((await home(other)).text);
    const logoutOtherToken = await t.http().post('/en/console/logout').set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({ csrf: otherToken });
    expect(logoutOtherToken.status).toBe(403);
    expect((await home(cookie)).status).toBe(200);
  });

  it('logs out: the old cookie is refused afterwards', async () => {
    const cookie = await session(organiser.email);
    const page = await home(cookie);
    const out = await t.http().post('/en/console/logout').set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({ csrf: csrfOf(page.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/en/console/login');
    expect(cookieFrom(out.headers['set-cookie'], 'nida_session')?.header).toMatch(/Max-Age=0/);
    const after = await home(cookie);
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/en/console/login');
  });

  it('ends a session after the idle time and at the absolute expiry; refreshes last_seen_at at most once a minute', async () => {
    const idle = await session(organiser.email);
    const hash = (await t.db.query(`SELECT id FROM console_sessions ORDER BY created_at DESC LIMIT 1`))[0].id as Buffer;
    await t.db.query(`UPDATE console_sessions SET last_seen_at = now() - interval '30 seconds' WHERE id = $1`, [hash]);
    const before = (await t.db.query(`SELECT last_seen_at FROM console_sessions WHERE id = $1`, [hash]))[0].last_seen_at as Date;
    expect((await home(idle)).status).toBe(200);
    const unchanged = (await t.db.query(`SELECT last_seen_at FROM console_sessions WHERE id = $1`, [hash]))[0].last_seen_at as Date;
    expect(unchanged.getTime()).toBe(before.getTime());
    await t.db.query(`UPDATE console_sessions SET last_seen_at = now() - interval '59 minutes' WHERE id = $1`, [hash]);
    expect((await home(idle)).status).toBe(200);
    const refreshed = (await t.db.query(`SELECT last_seen_at FROM console_sessions WHERE id = $1`, [hash]))[0].last_seen_at as Date;
    expect(Date.now() - refreshed.getTime()).toBeLessThan(10_000);
    await t.db.query(`UPDATE console_sessions SET last_seen_at = now() - interval '61 minutes' WHERE id = $1`, [hash]);
    expect((await home(idle)).status).toBe(303);

    const old = await session(organiser.email);
    expect((await home(old)).status).toBe(200);
    await t.db.query(`UPDATE console_sessions SET expires_at = now() - interval '1 second' WHERE id = (SELECT id FROM console_sessions ORDER BY created_at DESC LIMIT 1)`);
    expect((await home(old)).status).toBe(303);
  });

  it('changes the password: the current one is checked, other sessions end, this one stays', async () => {
    const other = await createOrganiserWithOrganisation(t);
    const mine = await session(other.email);
    const elsewhere = await session(other.email);
    const me = (token: string) => t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    expect((await me(other.token)).status).toBe(200);
    const form = await t.http().get('/ar/console/password').set('Cookie', mine);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<html lang="ar" dir="rtl">/);
    const csrf = csrfOf(form.text);
    const wrong = await t.http().post('/ar/console/password').set(SAME_ORIGIN).set('Cookie', mine).type(FORM).send({ csrf, current: 'not-it', next: 'a-brand-new-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain(ar.errorCurrentWrong);
    const short = await t.http().post('/ar/console/password').set(SAME_ORIGIN).set('Cookie', mine).type(FORM).send({ csrf, current: PASSWORD, next: 'short' });
    expect(short.status).toBe(400);
    expect(short.text).toContain(ar.errorNewPasswordLength);
    const ok = await t.http().post('/ar/console/password').set(SAME_ORIGIN).set('Cookie', mine).type(FORM).send({ csrf, current: PASSWORD, next: 'a-brand-new-password' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain(ar.passwordChanged);
    expect((await home(mine)).status).toBe(200);
    expect((await home(elsewhere)).status).toBe(303);
    const audited = await t.db.query(`SELECT details FROM audit_events WHERE action = 'auth.password_change' AND subject_id = $1`, [other.organiserId]);
    expect(audited).toEqual([{ details: { sessionsEnded: 1 } }]);
    expect((await t.http().post('/api/v1/auth/login').send({ email: other.email, password: PASSWORD })).status).toBe(401);
    const fresh = await t.http().post('/api/v1/auth/login').send({ email: other.email, password: 'a-brand-new-password' });
    expect(fresh.status).toBe(200);
    // A bearer token issued under the old password ends with it; one issued under the new one works.
    expect((await me(other.token)).status).toBe(401);
    expect((await me(fresh.body.accessToken)).status).toBe(200);
  });

  it('disabling an organiser stops their bearer token and console session at once; enabling lets them in again', async () => {
    const victim = await createOrganiserWithOrganisation(t);
    const bystander = await createOrganiserWithOrganisation(t);
    const admin = { Authorization: `Bearer ${await t.adminToken()}` };
    const cookie = await session(victim.email);
    expect((await home(cookie)).status).toBe(200);
    expect((await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${victim.token}`)).status).toBe(200);
    const path = `/api/v1/organisations/${victim.organisationId}/organisers/${victim.organiserId}`;

    // Only admins; only an organiser of that organisation; never oneself.
    expect((await t.http().post(`${path}/disable`).set('Authorization', `Bearer ${bystander.token}`)).status).toBe(403);
    const elsewhere = await t.http().post(`/api/v1/organisations/${bystander.organisationId}/organisers/${victim.organiserId}/disable`).set(admin);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'ORGANISER_NOT_FOUND']);
    const me = await t.http().get('/api/v1/auth/me').set(admin);
    const self = await t.http().post(`/api/v1/organisations/${me.body.organisationId}/organisers/${me.body.id}/disable`).set(admin);
    expect([self.status, self.body.code]).toEqual([409, 'AUTH_CANNOT_DISABLE_SELF']);

    const disabled = await t.http().post(`${path}/disable`).set(admin);
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).toEqual(expect.any(String));
    const refused = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${victim.token}`);
    expect([refused.status, refused.body.code]).toEqual([401, 'AUTH_REQUIRED']);
    expect((await home(cookie)).status).toBe(303);
    const revoked = await t.db.query(`SELECT count(*)::int AS n FROM console_sessions WHERE organiser_id = $1 AND revoked_at IS NULL`, [victim.organiserId]);
    expect(revoked[0].n).toBe(0);
    expect((await t.http().post('/api/v1/auth/login').send({ email: victim.email, password: PASSWORD })).status).toBe(401);
    expect((await signIn(victim.email)).res.status).toBe(401);
    const audited = await t.db.query(`SELECT actor_kind, subject_id, organisation_id, details FROM audit_events WHERE action = 'organisers.disable'`);
    expect(audited).toEqual([{ actor_kind: 'admin', subject_id: victim.organiserId, organisation_id: victim.organisationId, details: { sessionsEnded: 1 } }]);
    const listed = await t.http().get(`/api/v1/organisations/${victim.organisationId}/organisers`).set(admin);
    expect(listed.body[0].disabledAt).toBe(disabled.body.disabledAt);

    const enabled = await t.http().post(`${path}/enable`).set(admin);
    expect([enabled.status, enabled.body.disabledAt]).toEqual([200, null]);
    expect((await signIn(victim.email)).res.status).toBe(303);
  });

  it('forgotten password: the same answer for any address, a one-use link by email (Arabic), which sets the password and signs in', async () => {
    const forgetful = await createOrganiserWithOrganisation(t);
    const before = await session(forgetful.email);
    const page = await t.http().get('/ar/console/forgot');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page.text).toContain(ar.forgotIntro);
    expect((await t.http().get('/ar/console/login')).text).toContain('href="/ar/console/forgot"');
    const cookie = cookieFrom(page.headers['set-cookie'], 'nida_login')!.pair;
    const ask = (email: string, csrf = csrfOf(page.text)) =>
      t.http().post('/ar/console/forgot').set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({ csrf, email });

    const unknown = await ask('nobody-here@example.org');
    const known = await ask(`  ${forgetful.email.toUpperCase()} `);
    for (const res of [unknown, known]) {
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/ar/console/forgot/sent');
    }
    expect((await ask(forgetful.email, 'x'.repeat(43))).status).toBe(403);
    const sent = await t.http().get('/ar/console/forgot/sent');
    expect(sent.text).toContain(ar.forgotSentText);

    const [mail] = await smtp.waitFor(forgetful.email);
    expect(mail.parsed.subject).toBe('إعادة تعيين كلمة المرور في نداء');
    const link = /https?:\/\/\S+(\/ar\/console\/reset\/([A-Za-z0-9_-]{43}))/.exec(mail.parsed.text ?? '');
    expect(link).not.toBeNull();
    const [, path, token] = link!;
    expect(mail.parsed.text).toContain('لمدة ٦٠ دقيقة');
    expect(mail.parsed.html).toContain('dir="rtl"');
    expect(smtp.to('nobody-here@example.org')).toHaveLength(0);
    // Only the hash is stored; the outbox forgets the seed once sent.
    const stored = await t.db.query(`SELECT encode(token_hash, 'base64') AS h FROM organiser_tokens WHERE organiser_id = $1`, [forgetful.organiserId]);
    expect(stored).toHaveLength(1);
    await waitUntil(async () => (await t.db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE kind = 'organiser.password-reset' AND token_seed IS NULL AND status = 'sent'`))[0].n === 1);
    // Asking again at once sends nothing more.
    await ask(forgetful.email);
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.db.query(`SELECT count(*)::int AS n FROM organiser_tokens WHERE organiser_id = $1`, [forgetful.organiserId]))[0].n).toBe(1);

    const form = await t.http().get(path);
    expect(form.status).toBe(200);
    expect(form.headers['referrer-policy']).toBe('no-referrer');
    expect(form.text).toContain(ar.resetHeading);
    const formCookie = cookieFrom(form.headers['set-cookie'], 'nida_login')!.pair;
    const post = (next: string, csrf = csrfOf(form.text)) => t.http().post(path).set(SAME_ORIGIN).set('Cookie', formCookie).type(FORM).send({ csrf, next });
    expect((await post('a-brand-new-password', 'y'.repeat(43))).status).toBe(403);
    const short = await post('short');
    expect(short.status).toBe(400);
    expect(short.text).toContain(ar.errorNewPasswordLength);
    const done = await post('a-brand-new-password');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/ar/console');
    const fresh = cookieFrom(done.headers['set-cookie'], 'nida_session')!.pair;
    expect((await home(fresh, 'ar')).status).toBe(200);
    expect((await home(before)).status).toBe(303);
    // A bearer token from before the reset is refused too (a stolen token dies with the password).
    expect((await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${forgetful.token}`)).status).toBe(401);
    expect((await t.http().post('/api/v1/auth/login').send({ email: forgetful.email, password: 'a-brand-new-password' })).status).toBe(200);
    const audited = await t.db.query(`SELECT details FROM audit_events WHERE action = 'auth.password_reset' AND subject_id = $1`, [forgetful.organiserId]);
    expect(audited).toEqual([{ details: { sessionsEnded: 1 } }]);

    // Used: the link is dead, also for a second post.
    const again = await t.http().get(path);
    expect(again.status).toBe(410);
    expect(again.text).toContain(ar.resetExpiredHeading);
    expect((await post('another-new-password')).status).toBe(410);
    expect(token).toHaveLength(43);
  });

  it('a reset link past its time is refused', async () => {
    const late = await createOrganiserWithOrganisation(t);
    const page = await t.http().get('/en/console/forgot');
    const cookie = cookieFrom(page.headers['set-cookie'], 'nida_login')!.pair;
    await t.http().post('/en/console/forgot').set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({ csrf: csrfOf(page.text), email: late.email });
    const [mail] = await smtp.waitFor(late.email);
    expect(mail.parsed.subject).toBe('Reset your Nida password');
    const path = /\/en\/console\/reset\/[A-Za-z0-9_-]{43}/.exec(mail.parsed.text ?? '')![0];
    await t.db.query(`UPDATE organiser_tokens SET expires_at = now() - interval '1 second' WHERE organiser_id = $1`, [late.organiserId]);
    expect((await t.http().get(path)).status).toBe(410);
  });

  it('invitations: an admin invites by API; the invitee sets name and password from the emailed link, once', async () => {
    const admin = { Authorization: `Bearer ${await t.adminToken()}` };
    const org = await createOrganiserWithOrganisation(t);
    const path = `/api/v1/organisations/${org.organisationId}/invitations`;
    const email = `invitee-${Date.now()}@example.org`;
    expect((await t.http().post(path).set('Authorization', `Bearer ${org.token}`).send({ email })).status).toBe(403);
    expect((await t.http().post(path).set(admin).send({ email: 'not-an-email' })).status).toBe(400);
    const sent = await t.http().post(path).set(admin).send({ email: email.toUpperCase(), role: 'organiser', locale: 'en' });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({ organiserId: expect.any(String), organisationId: org.organisationId, email, role: 'organiser', expiresAt: expect.any(String) });
    const taken = await t.http().post(path).set(admin).send({ email });
    expect([taken.status, taken.body.code]).toEqual([409, 'ORGANISER_EMAIL_TAKEN']);

    const [mail] = await smtp.waitFor(email);
    expect(mail.parsed.subject).toMatch(/^You are invited to Coalition /);
    const link = /https?:\/\/\S+(\/en\/console\/invitation\/[A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '');
    expect(link).not.toBeNull();
    const invitation = link![1];
    // Nobody can sign in as the invitee before they accept.
    expect((await t.http().post('/api/v1/auth/login').send({ email, password: '' + 'a-long-enough-password' })).status).toBe(401);

    const form = await t.http().get(invitation);
    expect(form.status).toBe(200);
    expect(form.text).toContain(en.invitationHeading);
    const cookie = cookieFrom(form.headers['set-cookie'], 'nida_login')!.pair;
    const accept = (fields: Record<string, string>) => t.http().post(invitation).set(SAME_ORIGIN).set('Cookie', cookie).type(FORM).send({ csrf: csrfOf(form.text), ...fields });
    const noName = await accept({ name: '  ', next: 'my-own-password-1' });
    expect(noName.status).toBe(400);
    expect(noName.text).toContain(en.errorNameMissing);
    const done = await accept({ name: 'Huda Invited', next: 'my-own-password-1' });
    expect(done.status).toBe(303);
    const sessionCookie = cookieFrom(done.headers['set-cookie'], 'nida_session')!.pair;
    expect((await home(sessionCookie)).text).toContain('Huda Invited');
    expect((await t.http().post('/api/v1/auth/login').send({ email, password: 'my-own-password-1' })).status).toBe(200);
    expect((await accept({ name: 'Someone Else', next: 'another-password-2' })).status).toBe(410);
    expect((await t.http().get(invitation)).status).toBe(410);
    const audited = await t.db.query(`SELECT action, details FROM audit_events WHERE subject_id = $1 ORDER BY at`, [sent.body.organiserId]);
    expect(audited).toEqual([
      { action: 'organisers.invite', details: { role: 'organiser' } },
      { action: 'auth.login_failed', details: {} },
      { action: 'organisers.invitation_accept', details: {} },
    ]);
  });

  it('invitations: the console form, for admins only, mails the invitation in the page language', async () => {
    const adminCookie = await session(t.env.ADMIN_EMAIL!, t.env.ADMIN_PASSWORD);
    const landing = await home(adminCookie, 'ar');
    expect(landing.text).toContain('href="/ar/console/invite"');
    const page = await t.http().get('/ar/console/invite').set('Cookie', adminCookie);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<html lang="ar" dir="rtl">/);
    const csrf = csrfOf(page.text);
    const post = (fields: Record<string, string>) => t.http().post('/ar/console/invite').set(SAME_ORIGIN).set('Cookie', adminCookie).type(FORM).send(fields);
    expect((await post({ email: 'x@example.org' })).status).toBe(403);
    const bad = await post({ csrf, email: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(ar.errorEmailInvalid);
    expect(bad.text).toContain('value="nope"');
    const email = `console-invitee-${Date.now()}@example.org`;
    const ok = await post({ csrf, email, role: 'admin' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain(ar.invitationSent);
    const again = await post({ csrf, email });
    expect(again.status).toBe(409);
    expect(again.text).toContain(ar.errorEmailTaken);
    const [mail] = await smtp.waitFor(email);
    expect(mail.parsed.subject).toMatch(/^دعوة للانضمام إلى /);
    expect(mail.parsed.text).toContain('بصفة مشرف');
    expect(mail.parsed.text).toMatch(/\/ar\/console\/invitation\/[A-Za-z0-9_-]{43}/);
    expect(mail.parsed.text).toContain('لمدة ١٦٨ ساعة');
    const role = await t.db.query(`SELECT role, organisation_id FROM organisers WHERE email = $1`, [email]);
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${await t.adminToken()}`);
    expect(role).toEqual([{ role: 'admin', organisation_id: me.body.organisationId }]);

    // An organiser who is not an admin gets no link and a 403 page.
    const plainOrganiser = await createOrganiserWithOrganisation(t);
    const plain = await session(plainOrganiser.email);
    expect((await home(plain)).text).not.toContain('/console/invite');
    expect((await t.http().get('/en/console/invite').set('Cookie', plain)).status).toBe(403);
    const plainPage = await home(plain);
    const refused = await t.http().post('/en/console/invite').set(SAME_ORIGIN).set('Cookie', plain).type(FORM).send({ csrf: csrfOf(plainPage.text), email: 'sneaky@example.org' });
    expect(refused.status).toBe(403);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM organisers WHERE email = 'sneaky@example.org'`))[0].n).toBe(0);
  });

  it('shares the login throttle with the API', async () => {
    const target = await createOrganiserWithOrganisation(t);
    for (let i = 0; i < t.env.LOGIN_FREE_ATTEMPTS_PER_ACCOUNT; i++) {
      expect((await t.http().post('/api/v1/auth/login').send({ email: target.email, password: 'wrong-password' })).status).toBe(401);
    }
    const throttled = await signIn(target.email);
    expect(throttled.res.status).toBe(429);
    expect(throttled.res.headers['retry-after']).toMatch(/^\d+$/);
    expect(throttled.res.text).toContain(en.errorThrottled.split('{n}')[0]);
    expect(throttled.res.text).toContain(`value="${target.email}"`);
    expect(throttled.session).toBeNull();
  });
});

describe('console sign-in behind https (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: 'https://nida.example' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('marks the cookies Secure when PUBLIC_URL is https', async () => {
    const page = await t.http().get('/en/console/login');
    const login = cookieFrom(page.headers['set-cookie'], 'nida_login');
    expect(login?.header).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    const res = await t
      .http()
      .post('/en/console/login')
      .set(SAME_ORIGIN)
      .set('Cookie', login!.pair)
      .type(FORM)
      .send({ csrf: csrfOf(page.text), email: t.env.ADMIN_EMAIL, password: t.env.ADMIN_PASSWORD });
    expect(res.status).toBe(303);
    expect(cookieFrom(res.headers['set-cookie'], 'nida_session')?.header).toMatch(/^nida_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
  });
});
