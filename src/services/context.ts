import type { ParamsTemplates, RequestContext } from '../toolkit';
import type { createModel } from '../entities';

export type Model = ReturnType<typeof createModel>;

/** What every access pattern needs: the request helpers' context, the ElectroDB model, the clock and the id source. */
export interface Context extends RequestContext {
  model: Model;
  table: string;
  now: () => Date;
  newId: () => string;
  /** Shards of the user status index; must match the data (see USER_STATUS_SHARDS). */
  userStatusShards: number;
  /** Requests ElectroDB built once per pattern variant, filled in per call. */
  templates: ParamsTemplates;
}
