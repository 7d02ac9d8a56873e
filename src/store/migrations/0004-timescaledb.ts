import type { Migration } from './migration.js';

/**
 * With TimescaleDB on the server, trades and klines become hypertables with compression
 * and (trades only) retention. Without it, or if any step fails (privileges, an old
 * TimescaleDB), the tables stay plain with the same indexes: the block runs in a
 * subtransaction and only raises a WARNING, so startup never fails on this.
 *
 * TimescaleDB requires the time column in every unique index, so the trade key becomes
 * (venue, symbol, trade_id, ts): a venue reports one time per trade id, so duplicates
 * are still caught. Policies: trades compressed after 7 days and dropped after 90;
 * klines compressed after 30 days and kept. Change them with the TimescaleDB functions.
 */
export const M0004_TIMESCALEDB: Migration = {
  version: 4,
  name: 'timescaledb',
  sql: `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
     AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS timescaledb;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'veloz: TimescaleDB is installed but CREATE EXTENSION failed (%); trades and klines stay plain tables', SQLERRM;
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    BEGIN
      ALTER TABLE market_trades DROP CONSTRAINT market_trades_key;
      ALTER TABLE market_trades ADD CONSTRAINT market_trades_key UNIQUE (venue, symbol, trade_id, ts);
      PERFORM create_hypertable('market_trades', 'ts', chunk_time_interval => INTERVAL '1 day', migrate_data => true);
      ALTER TABLE market_trades SET (timescaledb.compress, timescaledb.compress_segmentby = 'venue, symbol', timescaledb.compress_orderby = 'ts DESC');
      PERFORM add_compression_policy('market_trades', INTERVAL '7 days');
      PERFORM add_retention_policy('market_trades', INTERVAL '90 days');
      PERFORM create_hypertable('market_klines', 'open_time', chunk_time_interval => INTERVAL '30 days', migrate_data => true);
      ALTER TABLE market_klines SET (timescaledb.compress, timescaledb.compress_segmentby = 'venue, symbol, period', timescaledb.compress_orderby = 'open_time DESC');
      PERFORM add_compression_policy('market_klines', INTERVAL '30 days');
      RAISE NOTICE 'veloz: market_trades and market_klines are TimescaleDB hypertables';
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'veloz: making hypertables failed (%); trades and klines stay plain tables', SQLERRM;
    END;
  END IF;
END
$$;
`,
};
