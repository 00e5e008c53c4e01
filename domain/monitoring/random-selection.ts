/**
 * The random selection of spot checks (seed 002, 第二十条: 通过随机选择程序选出…被抽查单位; 重点监管对象可不通过
 * 随机抽样，直接纳入). Deterministic from a recorded seed, so anyone can redo the draw from the ledger and get
 * the same entities: the seed, the algorithm name, the sorted candidate list and the result are all in
 * the SpotCheckEntitiesSelected event.
 *
 * Algorithm "xmur3-sfc32-fisher-yates/v1": the seed string is hashed with xmur3 into four 32-bit words
 * that seed the sfc32 generator (both public-domain, from the PractRand family); a partial Fisher–Yates
 * shuffle of the sorted candidates takes the first `count`. Not cryptographic — the fairness comes from
 * the seed being fixed (and recorded) before anyone knows the outcome, not from secrecy.
 */
export const SELECTION_ALGORITHM = 'xmur3-sfc32-fisher-yates/v1';

function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A uniform float in [0, 1) stream for a seed. */
export function seededRandom(seed: string): () => number {
  const h = xmur3(seed);
  const next = sfc32(h(), h(), h(), h());
  for (let i = 0; i < 12; i++) next(); // warm-up, as the generator's author recommends
  return next;
}

/**
 * Draws `count` of `candidates` (order of input irrelevant: they are sorted first) with the seed.
 * Returns them in draw order. count ≥ candidates → all of them, in shuffled order.
 */
export function drawSample(seed: string, candidates: readonly string[], count: number): string[] {
  const pool = [...new Set(candidates)].sort();
  const random = seededRandom(seed);
  const n = Math.min(Math.max(0, Math.floor(count)), pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}
