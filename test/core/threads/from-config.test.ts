import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/core/config/load.js';
import { ThreadRuntime } from '../../../src/core/threads/thread-runtime.js';
import { captureLogger, fixture } from './capture-logger.js';

describe('config threads drive the runtime', () => {
  it('places a thread as its config section says', async () => {
    const config = loadConfig({ env: { VELOZ_THREADS__BOOK__CPUS: '0' }, argv: ['--set', 'rings.md=1024'] });
    const runtime = new ThreadRuntime({
      logger: captureLogger(),
      mlockall: config.engine.mlockall,
      rings: { md: config.rings.md * 64 },
      threads: [{ name: 'book', module: fixture('idle'), rings: ['md'], ...config.threads.book }],
    });
    try {
      const [info] = await runtime.start();
      assert.deepEqual(info?.cpus, [0]);
      assert.match(readFileSync(`/proc/self/task/${info?.tid}/status`, 'utf8'), /^Cpus_allowed_list:\s*0$/m);
      assert.equal(runtime.ring('md').byteLength, 1024 * 64);
    } finally {
      await runtime.stop();
    }
  });
});
