/**
 * The one way veloz loads uWebSockets.js. On glibc < 2.38 hosts (Debian 12) the
 * prebuilt binary needs three C23 symbols supplied by build/Release/veloz_glibc_compat.node
 * (see native/compat/glibc_compat.cc and scripts/patch-uws.mjs), which must be loaded
 * RTLD_GLOBAL before uWS itself.
 */
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as UwsTypes from '@btc-vision/uwebsockets.js';
import { addonCandidates } from '../native/load-addon.js';

export type Uws = typeof UwsTypes;

let cached: Uws | undefined;

function loadCompatShim(): void {
  const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
    ?.glibcVersionRuntime;
  if (process.platform !== 'linux' || !glibc) return;
  const [major, minor] = glibc.split('.').map(Number) as [number, number];
  if (major > 2 || (major === 2 && minor >= 38)) return;
  const dir = addonCandidates()
    .map((p) => join(p, '..'))
    .find((d) => existsSync(join(d, 'veloz_glibc_compat.node')));
  if (!dir) {
    throw new Error(
      `uWebSockets.js needs glibc 2.38 symbols on this glibc ${glibc} host and ` +
        'build/Release/veloz_glibc_compat.node is missing: run `npm run build`.',
    );
  }
  const module = { exports: {} };
  process.dlopen(module, join(dir, 'veloz_glibc_compat.node'), constants.dlopen.RTLD_NOW | constants.dlopen.RTLD_GLOBAL);
}

/** uWebSockets.js, loaded once per thread. Throws with the reason if it cannot load. */
export function uws(): Uws {
  if (cached) return cached;
  loadCompatShim();
  const require = createRequire(import.meta.url);
  try {
    cached = require('@btc-vision/uwebsockets.js') as Uws;
  } catch (err) {
    throw new Error(
      `uWebSockets.js failed to load: ${(err as Error).message}. If it names GLIBC_2.38, ` +
        'the install step scripts/patch-uws.mjs did not run: run `npm run build`.',
      { cause: err },
    );
  }
  return cached;
}
