import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { replayWal, WalWriter, type FsyncPolicy } from '../../src/wal/index.js';
import { payloadFor, prng, samePayload, scratchDir, typeFor } from './wal-fixtures.js';

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.js', import.meta.url));
const KILLS = 20;

interface Run {
  opened: number | null;
  maxDurable: number;
  maxAppended: number;
  stderr: string;
}

/** Starts the child, kills it with SIGKILL `delayMs` after it opened (or after spawn), returns what it printed. */
async function runAndKill(dir: string, mode: FsyncPolicy, delayMs: number, killBeforeOpen: boolean): Promise<Run> {
  const child = spawn(process.execPath, [CHILD, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { opened: null, maxDurable: 0, maxAppended: 0, stderr: '' };
  let pending = '';
  let openedResolve: () => void = () => {};
  const opened = new Promise<void>((r) => (openedResolve = r));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const [kind, num] = pending.slice(0, nl).split(' ');
      pending = pending.slice(nl + 1);
      const n = Number(num);
      if (kind === 'open') {
        run.opened = n;
        openedResolve();
      } else if (kind === 'd') run.maxDurable = Math.max(run.maxDurable, n);
      else if (kind === 'a') run.maxAppended = Math.max(run.maxAppended, n);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (run.stderr += c));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (!killBeforeOpen) {
    const giveUp = new AbortController();
    const ok = await Promise.race([
      opened.then(() => true),
      exited.then(() => false),
      sleep(15_000, false, { signal: giveUp.signal }).catch(() => false),
    ]);
    giveUp.abort();
    if (!ok) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`child did not open the WAL: ${run.stderr}`);
    }
  }
  await sleep(delayMs);
  child.kill('SIGKILL');
  await exited;
  return run;
}

for (const mode of ['always', 'group'] as const) {
  test(`SIGKILL at ${KILLS} seeded moments (${mode}): every durable seq survives intact, seqs stay contiguous and are never reused`, async () => {
    const s = scratchDir(`crash-${mode}`);
    const rnd = prng(mode === 'always' ? 20240601 : 20240602);
    let expectNext = 1;
    let killedWhileAppending = 0;
    let cuts = 0;
    try {
      for (let k = 0; k < KILLS; k++) {
        const killBeforeOpen = k % 7 === 3; // a few kills land during start-up/recovery
        const delay = killBeforeOpen ? 40 + rnd() * 120 : 2 + rnd() * 60;
        const run = await runAndKill(s.dir, mode, delay, killBeforeOpen);
        if (run.opened !== null) assert.equal(run.opened, expectNext, `kill ${k}: the child continued at the wrong seq`);
        if (run.maxDurable >= expectNext) killedWhileAppending++;

        const w = await WalWriter.open({ dir: s.dir, fsync: 'group', flusher: 'inline', segmentBytes: 128 * 1024, maxPayloadBytes: 8192 });
        cuts += w.recovery.cuts.length;
        const ctx = `kill ${k} (${delay.toFixed(1)} ms): durable ${run.maxDurable}, appended ${run.maxAppended}, recovered ${w.lastSeq}`;
        assert.ok(w.lastSeq >= run.maxDurable, `${ctx}: a record reported durable is missing`);
        let seq = 0;
        replayWal({ dir: s.dir, toSeq: w.lastSeq }, (r) => {
          seq++;
          assert.equal(r.seq, seq, `${ctx}: seqs not contiguous`);
          assert.equal(r.type, typeFor(r.seq), `${ctx}: type of ${r.seq}`);
          assert.ok(samePayload(r.seq, r.payload), `${ctx}: payload of ${r.seq}`);
        });
        assert.equal(seq, w.lastSeq);
        const next = w.append(typeFor(w.nextSeq), payloadFor(w.nextSeq));
        assert.equal(next, w.lastSeq);
        assert.ok(next > run.maxDurable, `${ctx}: seq ${next} reused`);
        await w.close();
        expectNext = next + 1;
      }
      assert.ok(killedWhileAppending >= KILLS / 2, `only ${killedWhileAppending} kills landed while appending`);
      assert.ok(expectNext > KILLS * 5, `too few records in total (${expectNext - 1})`);
      // What recovery cut is reported for the record; SIGKILL leaves the page cache intact,
      // so cuts happen only when a kill lands inside a write.
      console.log(`# ${mode}: ${expectNext - 1} records, ${killedWhileAppending} kills while appending, ${cuts} tail cuts`);
    } finally {
      s.cleanup();
    }
  });
}
