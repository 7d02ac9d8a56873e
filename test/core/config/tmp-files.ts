import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scratch directory for config and secret files, removed by cleanup(). */
export function scratch(): { write(name: string, text: string, mode?: number): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'veloz-config-'));
  return {
    write(name, text, mode = 0o644) {
      const path = join(dir, name);
      writeFileSync(path, text);
      chmodSync(path, mode);
      return path;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The ConfigError thrown by `fn` (fails the test if none is thrown). */
export function configErrorOf(fn: () => unknown): Error & { code: string; issues: Array<{ key: string; source: string; message: string; line?: number; column?: number }> } {
  try {
    fn();
  } catch (err) {
    if ((err as { code?: string }).code === 'VELOZ_CONFIG') return err as ReturnType<typeof configErrorOf>;
    throw err;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}
