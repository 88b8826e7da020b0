import { confirmLink, SmtpSink } from './smtp-sink';
import type { TestApp } from './test-app';

/** Signs, reads the confirmation mail from the sink and confirms through the API. */
export async function signAndConfirm(t: TestApp, smtp: SmtpSink, slug: string, body: Record<string, unknown>): Promise<void> {
  const res = await t.http().post(`/api/v1/campaigns/${encodeURIComponent(slug)}/signatures`).send(body);
  if (res.status !== 202) throw new Error(`sign: ${res.status} ${JSON.stringify(res.body)}`);
  const [mail] = await smtp.waitFor(String(body.email));
  const token = new URL(confirmLink(mail)).pathname.split('/').pop();
  const confirmed = await t.http().post('/api/v1/signatures/confirm').send({ token });
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
}
