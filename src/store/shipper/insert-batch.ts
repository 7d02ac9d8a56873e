/**
 * The multi-row INSERT way of writing a batch of WAL records: the fallback when a COPY
 * meets rows already stored (ON CONFLICT DO NOTHING keeps the stored ones), and the
 * contender COPY is measured against. Payloads are copied (the reader reuses its memory).
 */
import type pg from 'pg';
import type { WalRecordView } from '../../wal/wal-reader.js';

/** 4 parameters a row: 16 000 parameters a statement, well under PostgreSQL's 65 535. */
const ROWS_PER_STATEMENT = 4000;
const ROW_SQL = (p: number): string => `($${p}::int8, timestamptz 'epoch' + $${p + 1}::int8 * interval '1 microsecond', $${p + 2}::int4, $${p + 3}::bytea)`;

const statements = new Map<number, string>();

function insertSql(rows: number): string {
  let sql = statements.get(rows);
  if (sql === undefined) {
    const values: string[] = [];
    for (let i = 0; i < rows; i++) values.push(ROW_SQL(4 * i + 1));
    sql = `INSERT INTO wal_events (seq, ts, type, payload) VALUES ${values.join(',')} ON CONFLICT (seq) DO NOTHING`;
    statements.set(rows, sql);
  }
  return sql;
}

export class InsertBatch {
  private params: unknown[] = [];
  rows = 0;

  reset(): void {
    this.params = [];
    this.rows = 0;
  }

  add(r: WalRecordView, unixUs: bigint): void {
    this.params.push(String(r.seq), unixUs.toString(), r.type, Buffer.from(r.payload));
    this.rows++;
  }

  /** Inserts the batch in statements of up to ROWS_PER_STATEMENT rows; returns rows inserted. */
  async write(client: pg.PoolClient): Promise<number> {
    let inserted = 0;
    for (let start = 0; start < this.rows; start += ROWS_PER_STATEMENT) {
      const n = Math.min(ROWS_PER_STATEMENT, this.rows - start);
      const r = await client.query({ text: insertSql(n), values: this.params.slice(4 * start, 4 * (start + n)) });
      inserted += r.rowCount ?? 0;
    }
    return inserted;
  }
}
