import { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { APP_ENTITIES } from '../../src/app.entities';
import { createTestApp, TestApp } from '../support/test-app';

/** One column as the migrated schema has it, or as an entity declares it. */
interface ColumnShape {
  type: string;
  nullable: boolean;
  primary: boolean;
  /** The default as PostgreSQL prints it, trailing casts stripped (`'pending'`, `now()`, `0`); null for none. */
  default: string | null;
}

type Tables = Map<string, Map<string, ColumnShape>>;

interface SchemaColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  element_type: string | null;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  is_primary: boolean;
}

/**
 * `'pending'::text` → `'pending'`, `'{}'::jsonb` → `'{}'`: the cast says nothing the type does not.
 * TypeORM quotes a number (`'0'`) where PostgreSQL prints it bare (`0`): both become `0`.
 */
function normaliseDefault(expression: string): string {
  let out = expression.trim();
  for (let before = ''; before !== out; ) {
    before = out;
    out = out.replace(/::[a-z_][a-z0-9_ ]*(\[\])?$/i, '').trim();
  }
  return out.replace(/^'(-?\d+(?:\.\d+)?)'$/, '$1');
}

/** Every column of every table in `public` but TypeORM's own `migrations`, from information_schema. */
async function migratedSchema(db: DataSource): Promise<Tables> {
  const rows: SchemaColumnRow[] = await db.query(
    `SELECT c.table_name, c.column_name, c.data_type, e.data_type AS element_type, c.is_nullable, c.column_default,
            EXISTS (SELECT 1
                      FROM information_schema.table_constraints tc
                      JOIN information_schema.key_column_usage k
                        ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
                     WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema
                       AND tc.table_name = c.table_name AND k.column_name = c.column_name) AS is_primary
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       LEFT JOIN information_schema.element_types e
         ON (e.object_catalog, e.object_schema, e.object_name, e.object_type, e.collection_type_identifier)
          = (c.table_catalog, c.table_schema, c.table_name, 'TABLE', c.dtd_identifier)
      WHERE c.table_schema = 'public' AND c.table_name <> 'migrations'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables: Tables = new Map();
  for (const r of rows) {
    if (!tables.has(r.table_name)) tables.set(r.table_name, new Map());
    tables.get(r.table_name)!.set(r.column_name, {
      type: r.data_type === 'ARRAY' ? `${r.element_type}[]` : r.data_type,
      nullable: r.is_nullable === 'YES',
      primary: r.is_primary,
      default: r.column_default === null ? null : normaliseDefault(r.column_default),
    });
  }
  return tables;
}

/** What PostgreSQL should print as this column's default, for the entity to be right. */
function entityDefault(db: DataSource, column: ColumnMetadata): string | null {
  if (column.isGenerated && column.generationStrategy === 'uuid') return 'gen_random_uuid()';
  if (column.isGenerated && column.generationStrategy === 'increment') {
    return `nextval('${column.entityMetadata.tableName}_${column.databaseName}_seq'::regclass)`;
  }
  if (column.default === undefined || column.default === null) return null;
  const normalised = db.driver.normalizeDefault(column);
  return normalised === undefined ? null : normaliseDefault(normalised);
}

/** The same shape from the entities registered on the app's data source. */
function entityColumns(db: DataSource): { tables: Tables; owners: Map<string, string[]> } {
  const tables: Tables = new Map();
  const owners = new Map<string, string[]>();
  for (const metadata of db.entityMetadatas) {
    owners.set(metadata.tableName, [...(owners.get(metadata.tableName) ?? []), metadata.name]);
    const columns = new Map<string, ColumnShape>();
    for (const column of metadata.columns) {
      columns.set(column.databaseName, {
        type: `${db.driver.normalizeType(column)}${column.isArray ? '[]' : ''}`,
        nullable: column.isNullable,
        primary: column.isPrimary,
        default: entityDefault(db, column),
      });
    }
    tables.set(metadata.tableName, columns);
  }
  return { tables, owners };
}

/** One line per disagreement, saying which side has what; empty when schema and entities agree. */
function diff(schema: Tables, entities: Tables, owners: Map<string, string[]>, fields: (keyof ColumnShape)[]): string[] {
  const problems: string[] = [];
  for (const [table, entityNames] of owners) {
    if (entityNames.length > 1) problems.push(`${table}: mapped by ${entityNames.length} entities (${entityNames.join(', ')})`);
  }
  for (const table of new Set([...schema.keys(), ...entities.keys()])) {
    const inSchema = schema.get(table);
    const inEntity = entities.get(table);
    const entityName = owners.get(table)?.join(', ');
    if (!inEntity) {
      problems.push(`${table}: table has no entity`);
      continue;
    }
    if (!inSchema) {
      problems.push(`${table}: entity ${entityName} maps a table the migrations do not create`);
      continue;
    }
    for (const column of new Set([...inSchema.keys(), ...inEntity.keys()])) {
      const s = inSchema.get(column);
      const e = inEntity.get(column);
      if (!e) problems.push(`${table}.${column}: in the schema, missing from entity ${entityName}`);
      else if (!s) problems.push(`${table}.${column}: in entity ${entityName}, missing from the schema`);
      else {
        for (const field of fields) {
          if (s[field] !== e[field]) {
            problems.push(`${table}.${column}: ${field} is ${String(s[field])} in the schema, ${String(e[field])} in entity ${entityName}`);
          }
        }
      }
    }
  }
  return problems;
}

/** Every table the migrations create has an entity, and each entity says what its table holds. */
describe('entities match the migrated schema', () => {
  let t: TestApp;
  let schema: Tables;
  let entities: { tables: Tables; owners: Map<string, string[]> };

  beforeAll(async () => {
    // The test app has run every migration on this run's database before it starts.
    t = await createTestApp();
    schema = await migratedSchema(t.db);
    entities = entityColumns(t.db);
  });
  afterAll(() => t?.close());

  it('reads the migrated schema', () => {
    // Guards the comparison itself: an empty query result would make every check below pass.
    expect(schema.size).toBeGreaterThanOrEqual(16);
    expect([...schema.get('signatures')!.keys()]).toEqual(expect.arrayContaining(['id', 'email', 'reply_consent']));
  });

  it('registers on the app exactly the list the CLI connects with', () => {
    expect(new Set(t.db.entityMetadatas.map((m) => m.target))).toEqual(new Set(APP_ENTITIES));
  });

  it('has an entity for every table, with the same columns, types and nullability', () => {
    expect(diff(schema, entities.tables, entities.owners, ['type', 'nullable'])).toEqual([]);
  });

  it('agrees on primary keys and defaults', () => {
    expect(diff(schema, entities.tables, entities.owners, ['primary', 'default'])).toEqual([]);
  });
});
