// Deterministic random numbers for tests, simulations and benchmarks: the same seed gives the same data on
// every machine, so a failing run can be replayed.

// Math functions as module constants: inside a vm context (jest) every global lookup is slow.
const { PI, cos, imul, log, sqrt } = Math;

/** Uniform numbers in [0, 1) (mulberry32: small, fast, and good enough for sampling and fault picking). */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal numbers (Box–Muller over seededUniform). */
export function seededNormal(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => sqrt(-2 * log(1 - uniform())) * cos(2 * PI * uniform());
}
