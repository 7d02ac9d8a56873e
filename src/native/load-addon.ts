import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeAddon } from './addon.js';

/** Raised when the addon cannot be used; the message says which file and why. */
export class NativeAddonError extends Error {
  readonly code = 'VELOZ_NATIVE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NativeAddonError';
  }
}

const ADDON_FILE = 'veloz_native.node';

function repoRoot(): string {
  // dist/src/native/load-addon.js -> repo root is three levels up.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** Where the addon is looked for, in order. `VELOZ_NATIVE_PATH` wins when set. */
export function addonCandidates(): string[] {
  const fromEnv = process.env['VELOZ_NATIVE_PATH'];
  const root = repoRoot();
  const list = [join(root, 'build', 'Release', ADDON_FILE), join(root, 'build', 'Debug', ADDON_FILE)];
  return fromEnv ? [fromEnv, ...list] : list;
}

let cached: NativeAddon | undefined;
let failure: NativeAddonError | undefined;

function load(): NativeAddon {
  const require = createRequire(import.meta.url);
  const tried: string[] = [];
  for (const path of addonCandidates()) {
    if (!existsSync(path)) {
      tried.push(`${path} (missing)`);
      continue;
    }
    try {
      return require(path) as NativeAddon;
    } catch (err) {
      throw new NativeAddonError(
        `veloz native addon at ${path} failed to load: ${(err as Error).message}. ` +
          'Rebuild it with `npm run build` (needs g++ and Node headers).',
        { cause: err },
      );
    }
  }
  throw new NativeAddonError(
    `veloz native addon not found; looked in: ${tried.join(', ')}. ` +
      'It is compiled by `npm ci` (binding.gyp); run `npm run build` to rebuild it.',
  );
}

/** The addon, loaded once per thread. Throws NativeAddonError if it cannot be used. */
export function native(): NativeAddon {
  if (cached) return cached;
  if (failure) throw failure;
  try {
    cached = load();
    return cached;
  } catch (err) {
    failure = err instanceof NativeAddonError ? err : new NativeAddonError(String(err), { cause: err });
    throw failure;
  }
}

/** The addon, or null with the reason, for code that has a pure-TS fallback. */
export function tryNative(): { addon: NativeAddon; error: null } | { addon: null; error: NativeAddonError } {
  try {
    return { addon: native(), error: null };
  } catch (err) {
    return { addon: null, error: err as NativeAddonError };
  }
}
