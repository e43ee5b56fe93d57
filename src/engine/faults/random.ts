/**
 * Seeded randomness: the one PRNG of the project (the engine is its lowest layer that needs one; the
 * toolkit re-exports it for seeding a model's data). Each fault mode draws from its own stream (derived
 * from the engine seed and the mode's name), so turning one mode on never shifts another mode's decisions.
 */

/** mulberry32: a small seeded PRNG in [0, 1), so fault decisions and seeded data repeat for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string, mixed with a seed: a stable 32-bit seed per fault mode. */
export function deriveSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function modeRandom(seed: number, name: string): () => number {
  return seededRandom(deriveSeed(seed, name));
}
