import type { TestApp } from './test-app';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export interface OrganiserLogin {
  organisationId: string;
  organiserId: string;
  email: string;
  token: string;
}

/** A new organisation with one organiser, signed in. */
export async function createOrganiserWithOrganisation(t: TestApp, name = `Coalition ${unique()}`): Promise<OrganiserLogin> {
  const admin = await t.adminToken();
  const org = await t.http().post('/api/v1/organisations').set('Authorization', `Bearer ${admin}`).send({ name });
  if (org.status !== 201) throw new Error(`create organisation: ${org.status} ${JSON.stringify(org.body)}`);
  const email = `organiser-${unique()}@example.org`;
  const password = 'a-long-enough-password';
  const organiser = await t
    .http()
    .post(`/api/v1/organisations/${org.body.id}/organisers`)
    .set('Authorization', `Bearer ${admin}`)
    .send({ email, password, name: 'Noor Organiser' });
  if (organiser.status !== 201) throw new Error(`create organiser: ${organiser.status} ${JSON.stringify(organiser.body)}`);
  const login = await t.http().post('/api/v1/auth/login').send({ email, password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return { organisationId: org.body.id, organiserId: organiser.body.id, email, token: login.body.accessToken };
}

/** A valid campaign body; fields can be overridden. */
export function campaignInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'petition',
    title: `Protect the marshes ${unique()}`,
    summary: 'Ask UNESCO to hold Iraq to its commitments on the Ahwar.',
    body: 'The marshes are drying.\n\nWe ask the World Heritage Centre to act.',
    locale: 'en',
    goal: 1000,
    ...overrides,
  };
}

/** Creates a campaign as the given organiser and returns the response body. */
export async function createCampaign(t: TestApp, token: string, overrides: Record<string, unknown> = {}) {
  const res = await t.http().post('/api/v1/campaigns').set('Authorization', `Bearer ${token}`).send(campaignInput(overrides));
  if (res.status !== 201) throw new Error(`create campaign: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string; status: string; [key: string]: unknown };
}

/** Creates and publishes a campaign. */
export async function createLiveCampaign(t: TestApp, token: string, overrides: Record<string, unknown> = {}) {
  const campaign = await createCampaign(t, token, overrides);
  const res = await t.http().post(`/api/v1/campaigns/${campaign.id}/publish`).set('Authorization', `Bearer ${token}`);
  if (res.status !== 200) throw new Error(`publish: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string; status: string; [key: string]: unknown };
}
