/**
 * Worker half of decode-workers.test.ts: decodes a seeded stream of generated messages
 * with its own native decoder into a ring in shared memory, then reports the counters.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { native } from '../../src/native/load-addon.js';
import { NativeMdDecoder } from '../../src/venues/binance/decode/index.js';
import { INSTRUMENTS } from './decode-corpus.js';
import { decodeStream } from './decode-stream.js';

const { seed, count, ring } = workerData as { seed: number; count: number; ring: SharedArrayBuffer };
const decoder = new NativeMdDecoder(native(), { venue: 'binance', instruments: INSTRUMENTS });
const written = decodeStream(decoder, seed, count, ring);
parentPort!.postMessage({ written, counters: decoder.readCounters() });
