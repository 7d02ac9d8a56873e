/**
 * The WAL shipper: tails the WAL and stores every record in PostgreSQL's wal_events,
 * exactly once, off the oms thread (run it with startShipperThread, or in a process of
 * its own).
 *
 * Exactly once: each batch is one transaction that locks the wal_shipped row, checks
 * that the stored position is the one this batch continues from, writes the rows (COPY
 * binary) and moves the position to the batch's last seq. A crash anywhere (shipper
 * SIGKILLed mid-COPY, PostgreSQL gone, commit acknowledgement lost) leaves rows and
 * position either both in or both out; any failure drops the batch and the reader, and
 * the next attempt starts again from the position PostgreSQL holds. The seq primary key
 * is the belt: a COPY meeting a stored row is redone as INSERT … ON CONFLICT DO NOTHING.
 *
 * Only durable records are shipped (with the writer's DurablePosition), so a power loss
 * can never take from the WAL a record PostgreSQL has. Nothing here reaches back into
 * the writer: with PostgreSQL down the WAL simply grows, lag grows, and attempts repeat
 * with exponential back-off until one succeeds.
 */
import { basename } from 'node:path';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DurablePosition } from '../../wal/durable-position.js';
import { WalReader, type WalRecordView } from '../../wal/wal-reader.js';
import { SILENT_LOG, type StoreLog } from '../store-log.js';
import { CopyEncoder } from './copy-encoder.js';
import { InsertBatch } from './insert-batch.js';
import { deleteShippedSegmentsOlderThan } from './shipped-retention.js';
import { ShipperStats } from './shipper-stats.js';

export type ShipMode = 'copy' | 'insert';

export interface WalShipperOptions {
  walDir: string;
  /** Connections to the database holding wal_events / wal_shipped (migrated). One is used. */
  pool: pg.Pool;
  /** The writer's durable position: nothing above it is shipped. Absent: every intact record. */
  durable?: DurablePosition | SharedArrayBuffer;
  /** 'copy' (default) or multi-row 'insert'. */
  mode?: ShipMode;
  /** A batch closes at this many records… Default 10 000. */
  maxBatchRows?: number;
  /** …or this many bytes of COPY data. Default 8 MiB. */
  maxBatchBytes?: number;
  /** Wait between looks at the WAL when there is nothing new (the batching delay). Default 10 ms. */
  pollMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Delete shipped segments last written longer ago than this. Absent: never delete. */
  retentionMs?: number;
  /** Least time between retention passes. Default 10 s. */
  retentionCheckMs?: number;
  stats?: ShipperStats;
  log?: StoreLog;
  /** Test seam: called inside the batch transaction after the rows, before the position update and COMMIT. */
  beforeCommit?: (firstSeq: number, lastSeq: number) => void | Promise<void>;
}

const LAG_REFRESH_MS = 50;

const ignoreClientError = (): void => undefined;

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  const x = v ?? fallback;
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`wal shipper: ${name} must be a non-negative integer, got ${String(v)}`);
  return x;
}

export class WalShipper {
  readonly stats: ShipperStats;
  private readonly o: Required<Pick<WalShipperOptions, 'walDir' | 'pool' | 'mode'>> & WalShipperOptions;
  private readonly durable: DurablePosition | null;
  private readonly log: StoreLog;
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly pollMs: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly retentionCheckMs: number;
  private readonly copy = new CopyEncoder();
  private readonly insert = new InsertBatch();

  private reader: WalReader | null = null;
  /** Seq stored in wal_shipped as far as we know; -1 before it was read. */
  private shipped = -1;
  private shippedRecordMs = 0;
  /** Time of record shipped+1 once seen (for lag in seconds), 0 if not seen. */
  private oldestUnshippedMs = 0;
  private readSeq = 0;
  private insertOnce = false;
  private batchFirstSeq = 0;
  private batchLastSeq = 0;
  private batchLastUs = 0n;
  private batchLastFile = '';
  private batchLastOffset = 0;
  private lastRetentionMs = 0;
  private stopping = false;
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private failingLogged = false;

  constructor(options: WalShipperOptions) {
    this.o = { ...options, mode: options.mode ?? 'copy' };
    if (this.o.mode !== 'copy' && this.o.mode !== 'insert') throw new RangeError(`wal shipper: mode must be 'copy' or 'insert', got ${String(options.mode)}`);
    const d = options.durable;
    this.durable = d === undefined ? null : d instanceof DurablePosition ? d : DurablePosition.attach(d);
    this.stats = options.stats ?? new ShipperStats();
    this.log = options.log ?? SILENT_LOG;
    this.maxRows = Math.max(1, positiveInt('maxBatchRows', options.maxBatchRows, 10_000));
    this.maxBytes = Math.max(1024, positiveInt('maxBatchBytes', options.maxBatchBytes, 8 << 20));
    this.pollMs = positiveInt('pollMs', options.pollMs, 10);
    this.retryInitialMs = Math.max(1, positiveInt('retryInitialMs', options.retryInitialMs, 50));
    this.retryMaxMs = Math.max(this.retryInitialMs, positiveInt('retryMaxMs', options.retryMaxMs, 5000));
    this.retentionCheckMs = positiveInt('retentionCheckMs', options.retentionCheckMs, 10_000);
    if (options.retentionMs !== undefined) positiveInt('retentionMs', options.retentionMs, 0);
  }

  /** Last seq known stored in PostgreSQL (-1 before the first read of the position). */
  get shippedSeq(): number {
    return this.shipped;
  }

  start(): void {
    if (this.loopDone !== null) throw new Error('wal shipper already started');
    this.stats.setRunning(true);
    this.loopDone = this.loop();
  }

  /** Finishes the batch in flight (or abandons a retry wait) and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loopDone;
    this.reader?.close();
    this.reader = null;
    this.stats.setRunning(false);
  }

  /** Resolves once everything durable at the time of the call is in PostgreSQL (or the timeout passes: false). */
  async caughtUp(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const target = this.head();
    while (Date.now() < deadline) {
      if (this.shipped >= 0 && this.shipped >= target) return true;
      await new Promise((r) => setTimeout(r, 5));
    }
    return false;
  }

  private head(): number {
    return this.durable !== null ? this.durable.seq : Math.max(this.readSeq, this.shipped);
  }

  private async loop(): Promise<void> {
    let backoff = this.retryInitialMs;
    while (!this.stopping) {
      try {
        if (this.reader === null) await this.position();
        const rows = this.fill();
        this.refreshLag();
        if (rows === 0) {
          await this.sleep(this.pollMs);
          continue;
        }
        await this.writeBatch();
        backoff = this.retryInitialMs;
        this.retain();
        this.refreshLag();
      } catch (err) {
        this.onFailure(err as Error);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.retryMaxMs);
      }
    }
  }

  /** Reads the stored position and opens the reader just past it. */
  private async position(): Promise<void> {
    const r = await this.o.pool.query<{ seq: string; record_us: string | null }>(
      `SELECT seq::text AS seq, (extract(epoch FROM record_ts) * 1000000)::bigint::text AS record_us FROM wal_shipped WHERE singleton`,
    );
    const row = r.rows[0];
    if (row === undefined) throw new Error('wal_shipped has no row: the database schema is not migrated');
    const seq = Number(row.seq);
    if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`wal_shipped holds an impossible seq ${row.seq}`);
    if (seq !== this.shipped) this.oldestUnshippedMs = 0;
    this.shipped = seq;
    this.shippedRecordMs = row.record_us === null ? 0 : Number(row.record_us) / 1000;
    this.stats.setShipped(seq, this.shippedRecordMs);
    this.reader = WalReader.open({ dir: this.o.walDir, fromSeq: seq + 1, ...(this.durable !== null ? { durable: this.durable } : {}) });
  }

  /** Reads available records into the batch; returns how many. */
  private fill(): number {
    const copyMode = this.o.mode === 'copy' && !this.insertOnce;
    const reader = this.reader!;
    let rows = 0;
    let r: WalRecordView | null = null;
    while (rows < this.maxRows && (!copyMode || this.copy.bytes < this.maxBytes) && (r = reader.next()) !== null) {
      const us = r.tsNs / 1000n;
      if (rows === 0) this.batchFirstSeq = r.seq;
      if (r.seq === this.shipped + 1) this.oldestUnshippedMs = Number(us) / 1000;
      if (copyMode) this.copy.add(r, us);
      else this.insert.add(r, us);
      this.batchLastSeq = r.seq;
      this.batchLastUs = us;
      this.batchLastFile = r.file;
      this.batchLastOffset = r.offset;
      rows++;
    }
    if (rows > 0 && this.batchLastSeq > this.readSeq) this.readSeq = this.batchLastSeq;
    return rows;
  }

  private async writeBatch(): Promise<void> {
    const t0 = performance.now();
    const copyMode = this.o.mode === 'copy' && !this.insertOnce;
    const rows = copyMode ? this.copy.rows : this.insert.rows;
    const client = await this.o.pool.connect();
    // A connection dying between queries is reported by the next query; without a
    // listener the client's 'error' event would end the process.
    client.on('error', ignoreClientError);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const pos = await client.query<{ seq: string }>('SELECT seq::text AS seq FROM wal_shipped WHERE singleton FOR UPDATE');
      const stored = Number(pos.rows[0]?.seq);
      if (stored !== this.shipped) {
        await client.query('ROLLBACK');
        this.stats.countPositionReset();
        this.log.warn({ expected: this.shipped, stored: pos.rows[0]?.seq ?? null }, 'wal shipper: stored position moved; re-reading from it');
        this.discardBatch();
        return;
      }
      if (copyMode) {
        const stream = client.query(copyFrom('COPY wal_events (seq, ts, type, payload) FROM STDIN (FORMAT binary)'));
        await new Promise<void>((resolve, reject) => {
          stream.on('error', reject);
          stream.on('finish', resolve);
          stream.end(this.copy.finish());
        });
      } else {
        await this.insert.write(client);
      }
      await this.o.beforeCommit?.(this.batchFirstSeq, this.batchLastSeq);
      await client.query(
        `UPDATE wal_shipped SET seq = $1, record_ts = timestamptz 'epoch' + $2::int8 * interval '1 microsecond',
                segment = $3, segment_offset = $4, updated_at = now() WHERE singleton`,
        [String(this.batchLastSeq), this.batchLastUs.toString(), basename(this.batchLastFile), String(this.batchLastOffset)],
      );
      await client.query('COMMIT');
    } catch (err) {
      broken = err as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      if (copyMode && (err as { code?: string }).code === '23505') {
        // Rows above the stored position already exist (restored or hand-made): keep
        // them, redo this batch as INSERT … ON CONFLICT DO NOTHING.
        this.stats.countConflictBatch();
        this.log.warn({ firstSeq: this.batchFirstSeq, lastSeq: this.batchLastSeq }, 'wal shipper: COPY met stored rows; redoing the batch with ON CONFLICT DO NOTHING');
        this.insertOnce = true;
        this.discardBatch();
        return;
      }
      throw err;
    } finally {
      client.removeListener('error', ignoreClientError);
      client.release(broken);
    }
    this.insertOnce = false;
    this.shipped = this.batchLastSeq;
    this.shippedRecordMs = Number(this.batchLastUs) / 1000;
    this.oldestUnshippedMs = 0;
    this.stats.setShipped(this.shipped, this.shippedRecordMs);
    this.stats.countBatch(rows, performance.now() - t0);
    this.copy.reset();
    this.insert.reset();
    if (this.failingLogged) this.log.info({ shippedSeq: this.shipped }, 'wal shipper: shipping again');
    this.failingLogged = false;
  }

  /** Drops the batch and the reader: the next attempt starts from the stored position. */
  private discardBatch(): void {
    this.copy.reset();
    this.insert.reset();
    this.reader?.close();
    this.reader = null;
  }

  private onFailure(err: Error): void {
    this.discardBatch();
    this.stats.countFailure(Date.now());
    if (!this.failingLogged) {
      this.failingLogged = true;
      this.log.warn({ err: err.message, code: (err as { code?: string }).code, shippedSeq: this.shipped }, 'wal shipper: shipping failed; retrying with back-off');
    }
    this.refreshLag();
  }

  private retain(): void {
    const keepMs = this.o.retentionMs;
    if (keepMs === undefined) return;
    const now = Date.now();
    if (now - this.lastRetentionMs < this.retentionCheckMs) return;
    this.lastRetentionMs = now;
    const gone = deleteShippedSegmentsOlderThan(this.o.walDir, this.shipped, keepMs, now);
    if (gone.length > 0) {
      this.stats.countSegmentsDeleted(gone.length);
      this.log.info({ segments: gone.map((s) => s.name), shippedSeq: this.shipped }, 'wal shipper: deleted shipped segments');
    }
  }

  private refreshLag(): void {
    const head = this.head();
    const behind = this.shipped < 0 ? head : Math.max(0, head - this.shipped);
    let seconds = 0;
    if (behind > 0) {
      const t = this.oldestUnshippedMs > 0 ? this.oldestUnshippedMs : this.shippedRecordMs;
      if (t > 0) seconds = Math.max(0, (Date.now() - t) / 1000);
    }
    this.stats.setLag(head, behind, seconds);
  }

  /** Waits `ms` (lag kept fresh meanwhile); stop() cuts it short. */
  private async sleep(ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (!this.stopping) {
      const left = end - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, LAG_REFRESH_MS));
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
      if (ms > LAG_REFRESH_MS) this.refreshLag();
    }
  }
}
