import { freePort, spawnNida } from '../support/processes';

/**
 * The OpenAPI document a newcomer reads, from the built app (`npm run build` first): the swagger
 * CLI plugin runs in `nest build` only, so only the built app serves what production serves.
 */

type Schema = Record<string, unknown>;
type Document = {
  paths: Record<string, Record<string, { parameters?: { name: string; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
};

const SHAPE = ['type', '$ref', 'allOf', 'oneOf', 'anyOf', 'enum', 'properties', 'items', 'additionalProperties'];

/** Every place in a schema that says nothing about its value: `{}`, an object without properties, `type: object` on an enum. */
function vagueSchemas(schema: unknown, at: string, out: string[] = [], follow?: (ref: string) => Schema | undefined, seen = new Set<string>()): string[] {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    // Components are checked on their own; a body follows its references, so its fields are checked as sent.
    if (follow && !seen.has(s.$ref)) {
      seen.add(s.$ref);
      vagueSchemas(follow(s.$ref), `${at} (${s.$ref.split('/').pop()})`, out, follow, seen);
    }
    return out;
  }
  if (!SHAPE.some((k) => k in s)) out.push(`${at}: empty schema`);
  const props = s.properties as Record<string, unknown> | undefined;
  const isObject = s.type === 'object' || (s.type === undefined && (props !== undefined || 'additionalProperties' in s));
  if (isObject && 'enum' in s) out.push(`${at}: an enum typed object`);
  else if (isObject && (!props || Object.keys(props).length === 0) && !s.additionalProperties && !s.allOf && !s.oneOf && !s.anyOf) {
    out.push(`${at}: object without properties`);
  }
  if (s.type === 'array' && !s.items) out.push(`${at}: array without items`);
  for (const [name, value] of Object.entries(props ?? {})) vagueSchemas(value, `${at}.${name}`, out, follow, seen);
  if (s.items) vagueSchemas(s.items, `${at}[]`, out, follow, seen);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    vagueSchemas(s.additionalProperties, `${at}{}`, out, follow, seen);
  }
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    ((s[key] as unknown[] | undefined) ?? []).forEach((part, i) => vagueSchemas(part, `${at}.${key}[${i}]`, out, follow, seen));
  }
  return out;
}

describe('the OpenAPI document of the built app', () => {
  let doc: Document;
  let stop: () => Promise<unknown>;

  beforeAll(async () => {
    const port = await freePort();
    const nida = spawnNida({ APP_ROLE: 'api', PORT: String(port), HOST: '127.0.0.1' });
    stop = () => {
      nida.child.kill('SIGTERM');
      return nida.exited;
    };
    await nida.waitFor('Nida ready (role api)');
    const res = await fetch(`http://127.0.0.1:${port}/docs/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Document;
  });
  afterAll(() => stop?.());

  it('has no empty schema and no object without properties', () => {
    const problems = Object.entries(doc.components.schemas).flatMap(([name, schema]) => vagueSchemas(schema, name));
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (const p of op.parameters ?? []) vagueSchemas(p.schema ?? {}, `${method.toUpperCase()} ${path} ?${p.name}`, problems);
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          for (const [type, media] of Object.entries(response.content ?? {})) {
            vagueSchemas(media.schema ?? {}, `${method.toUpperCase()} ${path} ${status} ${type}`, problems);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('describes the body of every POST, PUT and PATCH that takes one, field by field', () => {
    const problems: string[] = [];
    const follow = (ref: string) => doc.components.schemas[ref.replace('#/components/schemas/', '')];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        if (!['post', 'put', 'patch'].includes(method) || !op.requestBody) continue;
        const media = Object.entries(op.requestBody.content ?? {});
        if (!media.length) problems.push(`${method.toUpperCase()} ${path}: a body without a media type`);
        for (const [type, m] of media) {
          if (!m.schema) problems.push(`${method.toUpperCase()} ${path} ${type}: a body without a schema`);
          else vagueSchemas(m.schema, `${method.toUpperCase()} ${path} body`, problems, follow);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('names the values of enumerated fields and the shape of nested ones', () => {
    const s = doc.components.schemas;
    const props = (name: string) => s[name].properties as Record<string, Schema>;
    expect(props('CreateCampaignDto').kind).toMatchObject({ enum: ['petition', 'urgent_action'] });
    expect(JSON.stringify(props('CreateCampaignDto').locale)).toContain('"ar","en"');
    expect(props('LetterDto').mode).toMatchObject({ enum: ['per_signature', 'digest', 'none'] });
    expect(JSON.stringify(props('TranslationsDto').ar)).toContain('CampaignTextDto');
    expect(props('LetterPreviewResponseDto')).toEqual(expect.objectContaining({ requestedLocale: expect.anything(), fellBack: expect.anything() }));
  });

  it('lists the response of every GET under /api', () => {
    // JSON, or a file such as the signatures' CSV export or a target's PDF dossier.
    const missing = Object.entries(doc.paths).flatMap(([path, ops]) => {
      const content = ops.get?.responses?.['200']?.content;
      const schema = content?.['application/json']?.schema ?? content?.['text/csv']?.schema ?? content?.['application/pdf']?.schema;
      return path.startsWith('/api/') && ops.get && !schema ? [`GET ${path}`] : [];
    });
    expect(missing).toEqual([]);
  });
});
