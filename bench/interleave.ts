import { seededRandom } from '../src/engine';
import { timeMs } from './stats';

/**
 * Each iteration calls every side once, in a new order every iteration (a seeded shuffle), so
 * every side runs in every position and after every other side about equally often. A plain
 * rotation (A B C, B C A, C A B) is not enough: there A always follows C, so whatever C leaves
 * behind (garbage, pending work) always lands on A. Returns the milliseconds per side.
 */
export async function rotated(sides: readonly ((i: number) => Promise<unknown>)[], warmup: number, iterations: number, onStep?: () => void): Promise<number[][]> {
  for (let i = 0; i < warmup; i += 1) for (const side of sides) await side(i);
  const times = sides.map((): number[] => []);
  // The engine's seeded PRNG (mulberry32): the orders of a run can be reproduced.
  const random = seededRandom(12);
  const order = sides.map((_, k) => k);
  for (let i = 0; i < iterations; i += 1) {
    for (let k = order.length - 1; k > 0; k -= 1) {
      const j = Math.floor(random() * (k + 1));
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
    for (const side of order) times[side]!.push(await timeMs(() => sides[side]!(i)));
    onStep?.();
  }
  return times;
}
