import { forPattern } from '../recorder/pattern-label';
import type { RequestContext } from './request-context';

type PatternFactory<C> = (ctx: C) => (...args: never[]) => Promise<unknown>;

/**
 * Builds a service object with one method per access pattern: each factory receives a context
 * whose sender labels every request with the method's name (for the recorder, metrics and
 * pattern tests), and returns the method. Types flow through: the method keeps the arguments and
 * the result type its factory gives it (ElectroDB's inferred item types included).
 *
 *   const services = bindPatterns(ctx, {
 *     getTask: (ctx) => async (taskId: string) => getItem(ctx, Task.get({ taskId }).params()),
 *   });
 */
export function bindPatterns<C extends RequestContext, M extends Record<string, PatternFactory<C>>>(ctx: C, factories: M): { [K in keyof M]: ReturnType<M[K]> } {
  const out: Record<string, unknown> = {};
  for (const [name, factory] of Object.entries(factories)) out[name] = factory({ ...ctx, doc: forPattern(ctx.doc, name) });
  return out as { [K in keyof M]: ReturnType<M[K]> };
}
