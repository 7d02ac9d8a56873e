/**
 * Applies the schema migrations at start. Versioned (schema_migrations: version, name,
 * checksum), each migration in its own transaction, serialised across engines by a
 * session advisory lock, idempotent (a second run applies nothing). An applied migration
 * whose SQL changed, or one this build does not know, is an error that names it: the
 * database is left as it is.
 */
import type pg from 'pg';
import { StoreError } from '../errors.js';
import { SILENT_LOG, type StoreLog } from '../store-log.js';
import { MIGRATIONS } from './index.js';
import { migrationChecksum, migrationLabel, type Migration } from './migration.js';

/** pg_advisory_lock key: "veloz" + 0x01 as a bigint, shared by every veloz version. */
export const MIGRATION_LOCK_KEY = '0x76656c6f7a01';
const LOCK_KEY_SQL = `(${BigInt(MIGRATION_LOCK_KEY).toString()})::bigint`;

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version     integer PRIMARY KEY,
  name        text NOT NULL,
  checksum    text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL
)`;

export interface MigrationResult {
  /** Highest applied version after the run. */
  version: number;
  applied: { version: number; name: string; ms: number }[];
  timescaledb: boolean;
}

export interface MigrateOptions {
  migrations?: readonly Migration[];
  log?: StoreLog;
  /** How long to wait for another engine's migration lock (default 60 s). */
  lockTimeoutMs?: number;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

export function validateMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreError('MIGRATION_FAILED', `migration list is out of order: position ${i + 1} holds ${migrationLabel(m)}`);
    }
  });
}

/** Applied migrations compared with the list: the problems, or null when consistent. */
function checkApplied(applied: readonly AppliedRow[], migrations: readonly Migration[]): StoreError | null {
  for (const row of applied) {
    const m = migrations[row.version - 1];
    if (!m) {
      return new StoreError(
        'MIGRATION_UNKNOWN_VERSION',
        `the database has migration ${migrationLabel(row)} which this veloz does not know (it knows up to ${migrations.length}): it was migrated by a newer veloz`,
      );
    }
    const sum = migrationChecksum(m);
    if (sum !== row.checksum) {
      return new StoreError(
        'MIGRATION_CHECKSUM',
        `migration ${migrationLabel(m)} changed after it was applied (database checksum ${row.checksum.slice(0, 12)}…, this build ${sum.slice(0, 12)}…): released migrations are immutable, add a new one`,
      );
    }
  }
  return null;
}

export async function migrate(pool: pg.Pool, opts: MigrateOptions = {}): Promise<MigrationResult> {
  const migrations = opts.migrations ?? MIGRATIONS;
  const log = opts.log ?? SILENT_LOG;
  validateMigrationList(migrations);
  const client = await pool.connect();
  const onNotice = (n: { severity?: string; message?: string }): void => {
    const entry = { severity: n.severity, msg: n.message };
    if (n.severity === 'WARNING') log.warn(entry, 'migration notice');
    else if (n.message?.startsWith('veloz:')) log.info(entry, 'migration notice');
    else log.debug(entry, 'migration notice');
  };
  client.on('notice', onNotice);
  let locked = false;
  let failed = false;
  try {
    await client.query(`SET lock_timeout = ${Math.max(1, Math.round(opts.lockTimeoutMs ?? 60_000))}`);
    try {
      await client.query(`SELECT pg_advisory_lock(${LOCK_KEY_SQL})`);
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') {
        throw new StoreError('MIGRATION_LOCK_TIMEOUT', 'another process has held the schema migration lock for too long', { cause: err });
      }
      throw err;
    }
    locked = true;
    await client.query('RESET lock_timeout');
    await client.query(CREATE_TABLE);
    const applied = (await client.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows;
    const problem = checkApplied(applied, migrations);
    if (problem) throw problem;
    const done = new Set(applied.map((r) => r.version));
    const result: MigrationResult = { version: applied.at(-1)?.version ?? 0, applied: [], timescaledb: false };
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      const t0 = Date.now();
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)', [
          m.version,
          m.name,
          migrationChecksum(m),
          Date.now() - t0,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new StoreError('MIGRATION_FAILED', `migration ${migrationLabel(m)} failed: ${(err as Error).message}`, { cause: err });
      }
      const ms = Date.now() - t0;
      result.applied.push({ version: m.version, name: m.name, ms });
      result.version = m.version;
      log.info({ migration: migrationLabel(m), ms }, 'applied schema migration');
    }
    result.timescaledb = await hasTimescale(client);
    return result;
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    client.removeListener('notice', onNotice);
    if (locked && !failed) await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`).catch(() => undefined);
    // After a failure the session is closed: that releases the lock whatever state it is in.
    client.release(failed);
  }
}

export interface SchemaStatus {
  /** Highest applied version; 0 for an empty database. */
  version: number;
  latest: number;
  pending: number[];
  /** A changed or unknown applied migration, as the migrate error would say it. */
  problem: { code: string; message: string } | null;
  timescaledb: boolean;
}

/** Read-only: what migrate would find (used by `veloz db status`). */
export async function schemaStatus(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<SchemaStatus> {
  const client = await pool.connect();
  try {
    const exists = await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
    const applied = exists.rows[0]?.present
      ? (await client.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows
      : [];
    const problem = checkApplied(applied, migrations);
    const done = new Set(applied.map((r) => r.version));
    return {
      version: applied.at(-1)?.version ?? 0,
      latest: migrations.length,
      pending: migrations.filter((m) => !done.has(m.version)).map((m) => m.version),
      problem: problem ? { code: problem.code, message: problem.message } : null,
      timescaledb: await hasTimescale(client),
    };
  } finally {
    client.release();
  }
}

async function hasTimescale(client: pg.PoolClient): Promise<boolean> {
  const r = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
  return (r.rowCount ?? 0) > 0;
}
