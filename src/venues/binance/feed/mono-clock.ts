/**
 * The feed's monotonic clocks. process.hrtime.bigint() reads CLOCK_MONOTONIC through
 * libuv (uv_hrtime), the clock the native addon's monotonicNs() reads too, so receive
 * stamps from either are comparable. Milliseconds for deadlines come from
 * performance.now() (same source, no bigint allocated), shifted onto the same origin so
 * `Number(recvNs) / 1e6` and monotonicMs() can be compared.
 */
import { performance } from 'node:perf_hooks';

export const monotonicNs = (): bigint => process.hrtime.bigint();

const ORIGIN_MS = Number(process.hrtime.bigint()) / 1e6 - performance.now();

export const monotonicMs = (): number => performance.now() + ORIGIN_MS;
