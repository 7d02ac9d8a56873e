import type { Migration } from './migration.js';

/**
 * Public trades and klines from the live books. Trades are idempotent by
 * (venue, symbol, trade_id); klines are upserted by (venue, symbol, period, open_time),
 * and a closed kline is replaced only by another closed one. close_time is exclusive
 * (open_time + period).
 */
export const M0003_MARKET_DATA: Migration = {
  version: 3,
  name: 'market-data',
  sql: `
CREATE TABLE market_trades (
  venue      text NOT NULL,
  symbol     text NOT NULL,
  trade_id   bigint NOT NULL CHECK (trade_id >= 0),
  ts         timestamptz NOT NULL,
  price      numeric NOT NULL CHECK (price > 0),
  qty        numeric NOT NULL CHECK (qty > 0),
  aggressor  text CHECK (aggressor IN ('buy', 'sell')),
  CONSTRAINT market_trades_key UNIQUE (venue, symbol, trade_id)
);
CREATE INDEX market_trades_symbol_ts ON market_trades (symbol, ts DESC);

CREATE TABLE market_klines (
  venue         text NOT NULL,
  symbol        text NOT NULL,
  period        text NOT NULL CHECK (period IN ('1m', '5m', '15m', '1h', '4h', '1d')),
  open_time     timestamptz NOT NULL,
  close_time    timestamptz NOT NULL,
  open          numeric NOT NULL,
  high          numeric NOT NULL,
  low           numeric NOT NULL,
  close         numeric NOT NULL,
  volume        numeric NOT NULL,
  quote_volume  numeric NOT NULL,
  trades        bigint NOT NULL CHECK (trades > 0),
  closed        boolean NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (venue, symbol, period, open_time)
);
CREATE INDEX market_klines_symbol_time ON market_klines (symbol, open_time DESC);
`,
};
