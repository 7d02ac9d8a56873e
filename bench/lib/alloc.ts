/**
 * Bytes allocated per operation, measured as the slope of heap growth between a run of
 * n and a run of 4n operations from a freshly collected heap. The slope removes the
 * fixed cost every measurement has (V8 hands out a new allocation buffer after a GC,
 * ~200 KB here, whatever the loop does), so an allocation-free loop reads ≈0 and a loop
 * that allocates 16 B per op reads ≈16 — unless a GC ran inside the loop, which hides
 * part of it; `gcs` counts those GCs so a reader knows when the figure undercounts.
 * Needs --expose-gc.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';

const gcStarts: number[] = [];
let observer: PerformanceObserver | undefined;

function ensureObserver(): void {
  if (observer) return;
  observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcStarts.push(e.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
}

export function stopAllocationObserver(): void {
  observer?.disconnect();
  observer = undefined;
}

function growth(body: (n: number) => void, n: number, windows: [number, number][]): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('allocation measurement needs node --expose-gc');
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  body(n);
  const t1 = performance.now();
  const after = process.memoryUsage().heapUsed;
  windows.push([t0, t1]);
  return after - before;
}

export async function allocationPerOp(body: (n: number) => void, n: number): Promise<{ bytes: number; gcs: number }> {
  ensureObserver();
  body(n); // optimise first
  const windows: [number, number][] = [];
  const slopes: number[] = [];
  for (let r = 0; r < 3; r++) {
    const small = growth(body, n, windows);
    const large = growth(body, 4 * n, windows);
    slopes.push(Math.max(0, (large - small) / (3 * n)));
  }
  await new Promise((res) => setTimeout(res, 10)); // let GC entries arrive
  const gcs = gcStarts.filter((t) => windows.some(([a, b]) => t >= a && t <= b)).length;
  slopes.sort((a, b) => a - b);
  return { bytes: slopes[1]!, gcs };
}
