import type { TestApp } from './test-app';

export const FORM = 'application/x-www-form-urlencoded';
/** What a browser sends with a form post from the console itself. */
export const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
/** The password the factories give organisers. */
export const PASSWORD = 'a-long-enough-password';

/** Signs in through the console's login form (its CSRF cookie and token); returns the `nida_session=…` cookie. */
export async function consoleSignIn(t: TestApp, email: string, password = PASSWORD): Promise<string> {
  const page = await t.http().get('/en/console/login');
  const login = [page.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_login='))!.split(';')[0];
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
  const res = await t.http().post('/en/console/login').set(SAME_ORIGIN).set('Cookie', login).type(FORM).send({ csrf, email, password });
  if (res.status !== 303) throw new Error(`console login: ${res.status}`);
  return [res.headers['set-cookie']].flat().find((c: string) => c?.startsWith('nida_session='))!.split(';')[0];
}

/** The CSRF token of a signed-in console page (any form on it). */
export async function consoleCsrf(t: TestApp, cookie: string, path = '/en/console'): Promise<string> {
  const page = await t.http().get(path).set('Cookie', cookie);
  const match = /name="csrf" value="([^"]+)"/.exec(page.text);
  if (!match) throw new Error(`no CSRF token on ${path} (${page.status})`);
  return match[1];
}
