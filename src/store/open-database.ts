/**
 * openDatabase: the one way the engine and the CLI get a PostgreSQL connection pool.
 * With a URL (DATABASE_URL / [database].url) it uses that server (PostgreSQL 14+,
 * TimescaleDB optional); without one it starts the embedded server under the state
 * directory. Migrations are applied unless `migrate: false`.
 */
import pg from 'pg';
import { EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded/embedded-postgres.js';
import { StoreError } from './errors.js';
import { migrate, type MigrationResult } from './migrations/runner.js';
import { redactDatabaseUrl } from './redact-url.js';
import { SILENT_LOG, type StoreLog } from './store-log.js';

export const MIN_SERVER_VERSION_NUM = 140000;

export interface OpenDatabaseOptions {
  /** postgres:// URL of an external server; absent = embedded. */
  url?: string;
  stateDir: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  embedded?: Omit<EmbeddedPostgresOptions, 'stateDir' | 'log'>;
  pool?: Pick<pg.PoolConfig, 'max' | 'connectionTimeoutMillis' | 'idleTimeoutMillis'>;
  log?: StoreLog;
}

export interface Database {
  pool: pg.Pool;
  /** The URL in use, without any password: safe for logs. */
  url: string;
  embedded: boolean;
  /** The embedded server (null with a URL). */
  server: EmbeddedPostgres | null;
  /** e.g. "17.10". */
  serverVersion: string;
  /** Set when migrations ran (migrate !== false). */
  migrations: MigrationResult | null;
  /** Ends the pool, then stops the embedded server if this call started it. */
  stop(): Promise<void>;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  const log = opts.log ?? SILENT_LOG;
  let server: EmbeddedPostgres | null = null;
  let base: pg.PoolConfig;
  let url: string;
  if (opts.url !== undefined && opts.url !== '') {
    base = { connectionString: opts.url };
    url = redactDatabaseUrl(opts.url);
  } else {
    server = new EmbeddedPostgres({ ...opts.embedded, stateDir: opts.stateDir, log });
    await server.start();
    base = server.connectionConfig();
    url = server.url();
  }
  const pool = new pg.Pool({
    max: 8,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 10_000,
    application_name: 'veloz',
    ...base,
    ...opts.pool,
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it
  // would crash the process. The pool drops that client and the next query reconnects.
  pool.on('error', (err) => log.warn({ err: err.message, url }, 'PostgreSQL connection lost'));

  const stop = async (): Promise<void> => {
    await pool.end().catch(() => undefined);
    await server?.stop();
  };
  try {
    const serverVersion = await checkServerVersion(pool, url);
    const migrations = opts.migrate === false ? null : await migrate(pool, { log });
    log.info({ url, embedded: server !== null, serverVersion, schemaVersion: migrations?.version }, 'database ready');
    return { pool, url, embedded: server !== null, server, serverVersion, migrations, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function checkServerVersion(pool: pg.Pool, url: string): Promise<string> {
  let num: number;
  let text: string;
  try {
    const r = await pool.query<{ num: string; text: string }>(
      "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text",
    );
    num = Number.parseInt(r.rows[0]?.num ?? '', 10);
    text = r.rows[0]?.text ?? '';
  } catch (err) {
    throw new StoreError('PG_CONNECT', `cannot connect to PostgreSQL at ${url}: ${(err as Error).message}`, { cause: err });
  }
  if (!(num >= MIN_SERVER_VERSION_NUM)) {
    throw new StoreError('PG_VERSION_UNSUPPORTED', `PostgreSQL at ${url} is version ${text}; veloz needs 14 or newer`);
  }
  return text.split(' ')[0] ?? text;
}
