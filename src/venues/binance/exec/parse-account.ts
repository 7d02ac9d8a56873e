/** Account information (GET /api/v3/account, WS API account.status): balances at asset scales. */
import { ReplyFormatError } from './errors.js';
import { asObject, dec, int, str } from './reply-fields.js';
import type { ScaleBook } from './scales.js';
import type { AccountSnapshot, Balance } from './types.js';

export function parseAccount(body: unknown, scales: ScaleBook, where: string): AccountSnapshot {
  const o = asObject(body, where);
  if (!Array.isArray(o.balances)) throw new ReplyFormatError(`${where}: balances must be an array`);
  const balances: Balance[] = o.balances.map((b, i) => {
    const w = `${where}.balances[${i}]`;
    const e = asObject(b, w);
    const asset = str(e, 'asset', w);
    const scale = scales.asset(asset);
    return { asset, free: dec(e, 'free', scale, w), locked: dec(e, 'locked', scale, w), scale };
  });
  return { updateTimeMs: int(o, 'updateTime', where), canTrade: o.canTrade === true, balances };
}
