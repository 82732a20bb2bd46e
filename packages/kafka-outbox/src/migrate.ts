import { KafkaSdkError } from '@org/kafka-core';
import { latestSchemaVersion, migrations } from './migrations.js';
import type { SqlClient } from './sql-client.js';
import { outboxNames } from './table-layout.js';

/** What `migrate` found and did. */
export interface MigrateReport {
  readonly table: string;
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

const migrateLockKey = -2;

async function appliedVersion(client: SqlClient, migrationsTable: string): Promise<number> {
  const { rows } = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${migrationsTable}`,
  );
  return rows[0]?.version ?? 0;
}

/**
 * Creates or upgrades the outbox table to this package's schema, in one transaction on
 * `client` (which must not be inside a transaction). Safe to run from several processes
 * at once: an advisory lock makes them take turns. Refuses a database whose schema is
 * newer than this package knows (OUTBOX_SCHEMA_NEWER).
 */
export async function migrate(
  client: SqlClient,
  options: { readonly table?: string } = {},
): Promise<MigrateReport> {
  const names = outboxNames(options.table);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [names.lockSpace, migrateLockKey]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${names.migrations} (
         version     integer     PRIMARY KEY,
         description text        NOT NULL,
         applied_at  timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const from = await appliedVersion(client, names.migrations);
    if (from > latestSchemaVersion) {
      throw new KafkaSdkError(
        'OUTBOX_SCHEMA_NEWER',
        `${names.table} is at schema version ${from}; this @org/kafka-outbox knows versions up to ${latestSchemaVersion}: upgrade the package`,
      );
    }
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= from) continue;
      await client.query(m.sql(names));
      await client.query(`INSERT INTO ${names.migrations} (version, description) VALUES ($1, $2)`, [
        m.version,
        m.description,
      ]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return { table: names.table, from, to: Math.max(from, latestSchemaVersion), applied };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Throws OUTBOX_SCHEMA_MISSING or OUTBOX_SCHEMA_NEWER unless the table is at this package's
 * schema version: the relay checks before it sends anything.
 */
export async function checkSchema(client: SqlClient, table?: string): Promise<void> {
  const names = outboxNames(table);
  const { rows } = await client.query<{ exists: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS exists',
    [names.migrations],
  );
  const version = rows[0]?.exists ? await appliedVersion(client, names.migrations) : 0;
  if (version < latestSchemaVersion) {
    throw new KafkaSdkError(
      'OUTBOX_SCHEMA_MISSING',
      `${names.table} is at schema version ${version}, this package needs ${latestSchemaVersion}: run \`kafka-outbox migrate\` or migrate() first`,
    );
  }
  if (version > latestSchemaVersion) {
    throw new KafkaSdkError(
      'OUTBOX_SCHEMA_NEWER',
      `${names.table} is at schema version ${version}; this @org/kafka-outbox knows versions up to ${latestSchemaVersion}: upgrade the package`,
    );
  }
}
