/**
 * `veloz book replay`: rebuild a book from a captured REST snapshot and diff stream through
 * the same sync and book code as live (src/book/replay), and print it as one JSON object.
 * It is how a user debugs a desync from a capture: gaps are reported, never hidden.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { replayBook, type ReplayVenue } from '../book/replay/replay-book.js';

const HELP = `usage: veloz book replay --venue binance|binance-usdm --snapshot SNAP.json --diffs DIFFS.ndjson [--depth N]

Runs a recorded Binance depth snapshot (the REST /api/v3/depth or /fapi/v1/depth body)
and diff stream (one raw or combined-stream WebSocket message per line) through the
engine's book sync and prints:
  {"symbol", "lastUpdateId", "valid", "gaps": [...], "bids": [[price, qty], ...], "asks": [...]}
prices and quantities as decimal strings at the venue's scale, best first.
  --depth N   print only the best N levels per side (default: all)
Exit status: 0 when the book was printed (valid or not: see "valid" and "gaps"),
1 on unreadable or malformed input, 2 on bad options.`;

export async function bookReplayCommand(argv: string[]): Promise<number> {
  let values: { venue?: string; snapshot?: string; diffs?: string; depth?: string; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        venue: { type: 'string' },
        snapshot: { type: 'string' },
        diffs: { type: 'string' },
        depth: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    console.error(`veloz book replay: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const missing = (['venue', 'snapshot', 'diffs'] as const).filter((k) => values[k] === undefined);
  if (missing.length > 0) {
    console.error(`veloz book replay: missing --${missing.join(', --')}\n\n${HELP}`);
    return 2;
  }
  if (values.venue !== 'binance' && values.venue !== 'binance-usdm') {
    console.error(`veloz book replay: --venue must be binance or binance-usdm, got ${JSON.stringify(values.venue)}`);
    return 2;
  }
  let depth = Infinity;
  if (values.depth !== undefined) {
    if (!/^[1-9][0-9]{0,5}$/.test(values.depth)) {
      console.error(`veloz book replay: --depth must be a positive integer, got ${JSON.stringify(values.depth)}`);
      return 2;
    }
    depth = Number.parseInt(values.depth, 10);
  }
  let snapshot: string;
  let lines: string[];
  try {
    snapshot = readFileSync(values.snapshot!, 'utf8');
    lines = readFileSync(values.diffs!, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
  } catch (err) {
    console.error(`veloz book replay: ${(err as Error).message}`);
    return 1;
  }
  try {
    const r = replayBook({ venue: values.venue as ReplayVenue, snapshot, messages: lines });
    const out = {
      symbol: r.symbol,
      lastUpdateId: r.lastUpdateId,
      valid: r.valid,
      gaps: r.gaps,
      bids: r.bids.slice(0, depth),
      asks: r.asks.slice(0, depth),
    };
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  } catch (err) {
    const e = err as { code?: string; message: string };
    console.error(`veloz book replay: ${e.code ? `[${e.code}] ` : ''}${e.message}`);
    return 1;
  }
}
