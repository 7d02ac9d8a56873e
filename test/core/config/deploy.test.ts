import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/core/config/load.js';

const deploy = (name: string) => fileURLToPath(new URL(`../../../../deploy/${name}`, import.meta.url));

describe('deploy/ configs', () => {
  it('veloz.default.toml validates and equals the built-in defaults', () => {
    assert.deepEqual(loadConfig({ file: deploy('veloz.default.toml'), env: {} }), loadConfig({ env: {} }));
  });

  it('colo.toml validates and pins io, book, oms and strategy each to a core of its own', () => {
    const c = loadConfig({ file: deploy('colo.toml'), env: {} });
    const roles = ['io', 'book', 'oms', 'strategy'] as const;
    const cores = roles.map((r) => c.threads[r].cpus);
    for (const [i, cpus] of cores.entries()) assert.equal(cpus?.length, 1, `threads.${roles[i]} pinned to one core`);
    assert.equal(new Set(cores.map((cpus) => cpus?.[0])).size, roles.length, 'distinct cores');
    assert.ok(cores.every((cpus) => (cpus?.[0] ?? 0) >= 2), 'hot threads stay off the housekeeping cores 0-1');
    assert.equal(c.threads.book.waitStrategy, 'spin');
    assert.equal(c.threads.oms.waitStrategy, 'spin');
    assert.equal(c.threads.book.schedFifo, 50);
    assert.equal(c.engine.mlockall, true);
    assert.ok(Math.max(...roles.map((r) => c.threads[r].cpus?.[0] ?? 0)) < 8, 'fits an 8-core host');
  });
});
