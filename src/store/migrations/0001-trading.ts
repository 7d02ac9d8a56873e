import type { Migration } from './migration.js';

/**
 * Orders, fills and positions, as the WAL shipper projects them. Prices, quantities
 * and money are NUMERIC (exact); times are timestamptz. `last_wal_seq` / `wal_seq` name
 * the WAL record that last wrote the row, so replays can skip what is already applied.
 */
export const M0001_TRADING: Migration = {
  version: 1,
  name: 'trading',
  sql: `
CREATE TABLE orders (
  client_order_id text PRIMARY KEY,
  strategy        text NOT NULL,
  venue           text NOT NULL,
  symbol          text NOT NULL,
  venue_order_id  text,
  side            text NOT NULL CHECK (side IN ('buy', 'sell')),
  order_type      text NOT NULL,
  time_in_force   text,
  price           numeric CHECK (price > 0),
  qty             numeric NOT NULL CHECK (qty > 0),
  filled_qty      numeric NOT NULL DEFAULT 0 CHECK (filled_qty >= 0),
  avg_fill_price  numeric,
  status          text NOT NULL CHECK (status IN ('pending_new', 'new', 'partially_filled', 'filled', 'canceled',
                                                  'rejected', 'expired', 'pending_cancel', 'pending_replace')),
  reject_reason   text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  last_wal_seq    bigint NOT NULL
);
CREATE INDEX orders_strategy_created ON orders (strategy, created_at DESC);
CREATE INDEX orders_symbol_created ON orders (symbol, created_at DESC);
CREATE INDEX orders_open ON orders (strategy, symbol)
  WHERE status IN ('pending_new', 'new', 'partially_filled', 'pending_cancel', 'pending_replace');

CREATE TABLE fills (
  venue            text NOT NULL,
  symbol           text NOT NULL,
  trade_id         bigint NOT NULL,
  client_order_id  text NOT NULL,
  strategy         text NOT NULL,
  side             text NOT NULL CHECK (side IN ('buy', 'sell')),
  price            numeric NOT NULL CHECK (price > 0),
  qty              numeric NOT NULL CHECK (qty > 0),
  fee              numeric NOT NULL DEFAULT 0,
  fee_asset        text,
  liquidity        text CHECK (liquidity IN ('maker', 'taker')),
  realized_pnl     numeric NOT NULL DEFAULT 0,
  ts               timestamptz NOT NULL,
  wal_seq          bigint NOT NULL,
  PRIMARY KEY (venue, symbol, trade_id, client_order_id)
);
CREATE INDEX fills_strategy_ts ON fills (strategy, ts DESC);
CREATE INDEX fills_symbol_ts ON fills (symbol, ts DESC);
CREATE INDEX fills_order ON fills (client_order_id);

CREATE TABLE positions (
  strategy         text NOT NULL,
  venue            text NOT NULL,
  symbol           text NOT NULL,
  qty              numeric NOT NULL,
  avg_entry_price  numeric,
  realized_pnl     numeric NOT NULL DEFAULT 0,
  updated_at       timestamptz NOT NULL,
  last_wal_seq     bigint NOT NULL,
  PRIMARY KEY (strategy, venue, symbol)
);
`,
};
