import type { Migration } from './migration.js';

/**
 * The WAL as shipped: one row per record, keyed by its sequence number (so shipping the
 * same record twice is a no-op), and the shipped position in a single-row table that the
 * shipper updates in the same transaction as the rows. The decoded columns are filled
 * for the record types that carry them, for queries without decoding the payload.
 */
export const M0002_WAL: Migration = {
  version: 2,
  name: 'wal',
  sql: `
CREATE TABLE wal_events (
  seq              bigint PRIMARY KEY CHECK (seq > 0),
  ts               timestamptz NOT NULL,
  type             smallint NOT NULL,
  payload          bytea NOT NULL,
  strategy         text,
  venue            text,
  symbol           text,
  client_order_id  text,
  shipped_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wal_events_ts ON wal_events (ts);
CREATE INDEX wal_events_type_ts ON wal_events (type, ts);
CREATE INDEX wal_events_order ON wal_events (client_order_id) WHERE client_order_id IS NOT NULL;

CREATE TABLE wal_shipped (
  singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq             bigint NOT NULL DEFAULT 0 CHECK (seq >= 0),
  record_ts       timestamptz,
  segment         text,
  segment_offset  bigint,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO wal_shipped (singleton, seq) VALUES (true, 0);
`,
};
