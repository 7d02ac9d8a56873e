import type { ExitPolicy } from './thread-spec.js';

type RestartPolicy = Extract<ExitPolicy, { kind: 'restart' }>;

/**
 * Decides whether a thread that just died may be restarted and after how long.
 * `history` holds the times of earlier restarts (ms, oldest first) and is updated.
 */
export function nextRestartDelay(policy: RestartPolicy, history: number[], nowMs: number): number | null {
  if (policy.windowMs !== undefined) {
    const horizon = nowMs - policy.windowMs;
    while (history.length > 0 && (history[0] as number) < horizon) history.shift();
  }
  if (history.length >= policy.maxRestarts) return null;
  const delay = policy.backoffMs * 2 ** history.length;
  history.push(nowMs);
  return Math.min(delay, policy.maxBackoffMs ?? Number.MAX_SAFE_INTEGER);
}
