/** Every migration this build ships, in order. Never edit a released one: add a new one. */
import { M0001_TRADING } from './0001-trading.js';
import { M0002_WAL } from './0002-wal.js';
import { M0003_MARKET_DATA } from './0003-market-data.js';
import { M0004_TIMESCALEDB } from './0004-timescaledb.js';
import { M0005_WAL_TYPE_U16 } from './0005-wal-type-u16.js';
import type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [M0001_TRADING, M0002_WAL, M0003_MARKET_DATA, M0004_TIMESCALEDB, M0005_WAL_TYPE_U16];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
