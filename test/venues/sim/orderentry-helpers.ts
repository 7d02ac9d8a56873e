/** Shared helpers of the order-entry tests: fixtures, a manual clock, signing. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';

/** shared/protocols/fixtures/binance beside the checkout (or /work/shared in a worktree). */
export function fixturePath(name: string): string {
  const candidates = [
    process.env.VELOZ_SHARED_DIR ? join(process.env.VELOZ_SHARED_DIR, 'protocols/fixtures/binance') : '',
    join(process.cwd(), '../shared/protocols/fixtures/binance'),
    join(process.cwd(), '../../shared/protocols/fixtures/binance'),
    '/work/shared/protocols/fixtures/binance',
  ].filter((p) => p !== '');
  for (const dir of candidates) if (existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`fixture ${name} not found in ${candidates.join(', ')}`);
}

export class ManualClock {
  constructor(public ms: number) {}
  nowMs(): number {
    return this.ms;
  }
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Key set of a JSON object, sorted, for comparing shapes with the fixtures. */
export function keys(o: unknown): string[] {
  return Object.keys(o as Record<string, unknown>).sort();
}
