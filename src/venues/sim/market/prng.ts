/**
 * xoshiro128** seeded through splitmix32: a small, fast, well-mixed generator whose whole
 * state is four 32-bit words, so a seed reproduces the same flow on every machine.
 * Math.random is never used by the sim.
 *
 * The state lives in an Int32Array and draws are handed out as 30-bit integers (V8 small
 * integers), so generating flow allocates no heap numbers.
 */
const TWO_30 = 1073741824;

export class Xoshiro128 {
  private readonly s = new Int32Array(4);

  constructor(seed: number) {
    let x = seed | 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = z ^ (z >>> 16);
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** Next 30 random bits, in [0, 2^30). */
  next30(): number {
    const s = this.s;
    const b = s[1] as number;
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    s[2] = (s[2] as number) ^ (s[0] as number);
    s[3] = (s[3] as number) ^ b;
    s[1] = b ^ (s[2] as number);
    s[0] = (s[0] as number) ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return r >>> 2;
  }

  /** Uniform in [0, 1) (30-bit resolution). */
  next(): number {
    return this.next30() / TWO_30;
  }

  /** Uniform integer in [0, n), n ≤ 2^30. */
  int(n: number): number {
    return Math.floor((this.next30() * n) / TWO_30);
  }

  chance(p: number): boolean {
    return this.next30() < p * TWO_30;
  }

  /** Geometric number of failures before a success with probability p (0, 1, 2, …), capped at max. */
  geometric(p: number, max: number): number {
    // Inverse transform: one draw instead of a loop of expected length 1/p.
    const u = (this.next30() + 0.5) / TWO_30;
    const k = Math.floor(Math.log(u) / Math.log(1 - p));
    return k < max ? k : max;
  }

  /** round(mean × Exp(1)), the exponential capped at 20 means. */
  expRounded(mean: number): number {
    const u = (this.next30() + 0.5) / TWO_30;
    return Math.round(mean * Math.min(20, -Math.log(u)));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Derives an independent per-stream seed (e.g. per symbol) from the sim seed. */
export function deriveSeed(seed: number, index: number): number {
  return (Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x01000193) + Math.imul(index + 1, 0x9e3779b1)) >>> 0;
}
