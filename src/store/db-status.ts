/**
 * What `veloz db status` reports: the database in use (URL without password), its
 * schema version, the shipped WAL position and the shipper's lag.
 *
 * Embedded PostgreSQL: if the engine is running, its server is attached to (read from
 * <stateDir>/pg/postmaster.pid) and left running; otherwise the server is started for
 * the duration of the command and stopped again (`server: "started"`). A state
 * directory without a cluster is reported as PG_NOT_INITIALISED: status never creates one.
 * Nothing is migrated or written. The WAL head is read from the local WAL directory
 * (wal-head.ts); lag in seconds is the record time of the head minus that of the last
 * shipped record.
 */
import { openDatabase } from './open-database.js';
import { schemaStatus } from './migrations/runner.js';
import type { StoreLog } from './store-log.js';
import { readWalHead, type WalHeadReader } from './wal-head.js';

export interface DbStatus {
  database: {
    url: string;
    embedded: boolean;
    /** external: DATABASE_URL; attached: the engine's running embedded server; started: started for this command. */
    server: 'external' | 'attached' | 'started';
    serverVersion: string;
    timescaledb: boolean;
  };
  schema: {
    version: number;
    latest: number;
    pending: number[];
    problem: { code: string; message: string } | null;
  };
  wal: {
    dir: string;
    /** Last shipped WAL seq (decimal string; "0" = nothing shipped), null before the WAL schema exists. */
    shippedSeq: string | null;
    /** Time of the last shipped record (ISO, µs). */
    shippedRecordTs: string | null;
    /** When the shipper last advanced. */
    shippedAt: string | null;
    headSeq: string | null;
    lagRecords: string | null;
    /** Record time of the WAL head minus that of the last shipped record. */
    lagSeconds: number | null;
    lagUnknownReason: string | null;
  };
}

export interface DbStatusOptions {
  url?: string;
  stateDir: string;
  walDir: string;
  readHead?: WalHeadReader;
  log?: StoreLog;
}

interface ShippedRow {
  seq: string;
  record_us: string | null;
  record_ts: string | null;
  updated_at: string | null;
}

export async function dbStatus(opts: DbStatusOptions): Promise<DbStatus> {
  const dbOpts: Parameters<typeof openDatabase>[0] = {
    stateDir: opts.stateDir,
    migrate: false,
    embedded: { attach: true, initialise: false },
    pool: { max: 2 },
  };
  if (opts.url !== undefined) dbOpts.url = opts.url;
  if (opts.log !== undefined) dbOpts.log = opts.log;
  const db = await openDatabase(dbOpts);
  try {
    const schema = await schemaStatus(db.pool);
    const present = await db.pool.query<{ present: boolean }>("SELECT to_regclass('wal_shipped') IS NOT NULL AS present");
    let shipped: ShippedRow | null = null;
    if (present.rows[0]?.present) {
      const r = await db.pool.query<ShippedRow>(
        `SELECT seq::text AS seq, (extract(epoch FROM record_ts) * 1000000)::bigint::text AS record_us,
                to_char(record_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS record_ts,
                to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at
           FROM wal_shipped`,
      );
      shipped = r.rows[0] ?? null;
    }
    const head = await (opts.readHead ?? readWalHead)(opts.walDir);
    const wal: DbStatus['wal'] = {
      dir: opts.walDir,
      shippedSeq: shipped?.seq ?? null,
      shippedRecordTs: shipped?.record_ts ?? null,
      shippedAt: shipped?.updated_at ?? null,
      headSeq: head.known ? head.seq.toString() : null,
      lagRecords: null,
      lagSeconds: null,
      lagUnknownReason: null,
    };
    if (!head.known) {
      wal.lagUnknownReason = head.reason;
    } else if (shipped === null) {
      wal.lagUnknownReason = 'the database has no wal_shipped table (schema not migrated)';
    } else {
      const lag = head.seq - BigInt(shipped.seq);
      if (lag < 0n) {
        wal.lagUnknownReason = `the database has shipped up to seq ${shipped.seq}, past the local WAL head ${head.seq}: is this the engine's WAL directory?`;
      } else if (lag === 0n) {
        wal.lagRecords = '0';
        wal.lagSeconds = 0;
      } else {
        wal.lagRecords = lag.toString();
        if (head.tsNs !== null && shipped.record_us !== null) wal.lagSeconds = Number(head.tsNs / 1000n - BigInt(shipped.record_us)) / 1e6;
        else wal.lagUnknownReason = 'lag in seconds needs the time of the last shipped record (nothing shipped yet)';
      }
    }
    return {
      database: {
        url: db.url,
        embedded: db.embedded,
        server: db.server === null ? 'external' : db.server.state === 'attached' ? 'attached' : 'started',
        serverVersion: db.serverVersion,
        timescaledb: schema.timescaledb,
      },
      schema: { version: schema.version, latest: schema.latest, pending: schema.pending, problem: schema.problem },
      wal,
    };
  } finally {
    await db.stop();
  }
}
