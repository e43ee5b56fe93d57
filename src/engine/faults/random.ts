/**
 * Seeded randomness for fault modes. Each mode draws from its own stream (derived from the engine
 * seed and the mode's name), so turning one mode on never shifts another mode's decisions.
 */
import { seededRandom } from '../storage/storage-faults';

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
