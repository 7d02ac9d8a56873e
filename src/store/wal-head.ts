/**
 * The newest record of the local WAL, for `veloz db status` (lag = head − shipped).
 *
 * The WAL lives in src/wal, built on another branch; it is reached by a dynamic import
 * so this module compiles and runs without it. Contract for src/wal/index.ts:
 *
 *   export function readWalHead(dir: string): Promise<{ seq: bigint; tsNs: bigint | null } | null>
 *
 * (null: no record yet). Until that export exists the head is reported as unknown,
 * with the reason.
 */
export type WalHead = { known: true; seq: bigint; tsNs: bigint | null } | { known: false; reason: string };

export type WalHeadReader = (walDir: string) => Promise<WalHead>;

interface WalModule {
  readWalHead?: (dir: string) => Promise<{ seq: bigint; tsNs: bigint | null } | null>;
}

// A variable, so the compiler does not require the module to exist.
const WAL_MODULE = '../wal/index.js';

export const readWalHead: WalHeadReader = async (walDir) => {
  let mod: WalModule;
  try {
    mod = (await import(WAL_MODULE)) as WalModule;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND') return { known: false, reason: 'the WAL module (src/wal) is not part of this build' };
    return { known: false, reason: `loading the WAL module failed: ${(err as Error).message}` };
  }
  if (typeof mod.readWalHead !== 'function') return { known: false, reason: 'src/wal does not export readWalHead(dir) yet' };
  try {
    const head = await mod.readWalHead(walDir);
    return head === null ? { known: true, seq: 0n, tsNs: null } : { known: true, seq: head.seq, tsNs: head.tsNs };
  } catch (err) {
    return { known: false, reason: `reading the WAL in ${walDir} failed: ${(err as Error).message}` };
  }
};
