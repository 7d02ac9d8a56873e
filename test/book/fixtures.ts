import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reads test/fixtures/<path> (tests run from dist/test/book, fixtures stay in the source tree). */
export function fixtureText(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../test/fixtures/${path}`, import.meta.url)), 'utf8');
}

export interface SyncScenario {
  venue: 'binance-spot' | 'binance-usdm';
  snapshot: { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
  events: Array<{ msg: Record<string, unknown> & { U: number; u: number; pu?: number }; expect: string }>;
  expected_book_before_gap: { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
}

export function scenario(name: 'spot' | 'usdm'): SyncScenario {
  return JSON.parse(fixtureText(`binance/${name}_book_sync_scenario.synthetic.json`)) as SyncScenario;
}
