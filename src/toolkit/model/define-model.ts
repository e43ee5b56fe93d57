import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { checkCatalog } from '../catalog/check-catalog';
import type { Catalog, PatternName } from '../catalog/types';
import type { PatternRunners } from '../measurement/pattern-runner';
import type { StreamConsumerDeclaration } from '../streams/settings';
import { deriveTableDefinition, type Billing, type IndexProjection, type StreamView, type EntityIndexSource, type TableDefinition } from '../table/derive-table-definition';

/** Progress of a long step (seeding), for the caller to show; a model prints nothing itself. */
export type ProgressCallback = (step: string, done: number, total: number) => void;

export interface SeedOptions {
  /** How much to seed, in the model's own unit (the reference model: users). */
  size: number;
  onProgress?: ProgressCallback;
}

/** What a model's services factory receives. */
export interface ServicesInput {
  client: DynamoDBClient;
  tableName: string;
}

/** Table settings the entities cannot say. */
export interface ModelTableOptions {
  /** Attribute DynamoDB's TTL deletes items by (epoch seconds). */
  ttlAttribute?: string;
  /** Stream view; default NEW_AND_OLD_IMAGES. `false` disables streams. */
  stream?: StreamView | false;
  /** Default on-demand. */
  billing?: Billing;
  /** What each GSI projects; default ALL. */
  projections?: Record<string, IndexProjection>;
}

/**
 * A model as the toolkit takes it: every command, report and test helper works on one of these.
 * `Seed` is whatever the seed returns (the ids runners need); `Services` whatever the factory builds.
 */
export interface Model<C extends Catalog = Catalog, Services = unknown, Seed = unknown> {
  /** Names reports and generated files. */
  name: string;
  /** The ElectroDB entities (their schemas define the table's keys and indexes). */
  entities: readonly EntityIndexSource[];
  table?: ModelTableOptions;
  catalog: C;
  /** Consumers of the table's stream (Lambda event source mappings): run locally by the testing harness, written by the exports. */
  streamConsumers?: readonly StreamConsumerDeclaration[];
  services(input: ServicesInput): Services;
  /** Writes representative data through the services; returns what the runners need. */
  seed(services: Services, options: SeedOptions): Promise<Seed>;
  /** One runner per catalog pattern: the compiler insists on every one. */
  runners(services: Services, seed: Seed): PatternRunners<PatternName<C>>;
}

/**
 * Checks a model at run time (a model file loaded by the CLI is not type-checked): its shape, and
 * that every index and entity its catalog names exists. Unused indexes are not an error here;
 * checkCatalog reports them.
 */
export function defineModel<const C extends Catalog, Services, Seed>(model: Model<C, Services, Seed>): Model<C, Services, Seed> {
  const problems: string[] = [];
  if (typeof model?.name !== 'string' || model.name.trim() === '') problems.push('name must be a non-empty string');
  if (!Array.isArray(model?.entities) || model.entities.length === 0) problems.push('entities must list the ElectroDB entities');
  if (!Array.isArray(model?.catalog)) problems.push('catalog must be an array of access patterns (defineCatalog)');
  for (const fn of ['services', 'seed', 'runners'] as const) {
    if (typeof model?.[fn] !== 'function') problems.push(`${fn} must be a function`);
  }
  if (problems.length === 0) problems.push(...checkCatalog(model.catalog, model.entities).errors);
  if (model?.streamConsumers !== undefined && !Array.isArray(model.streamConsumers)) problems.push('streamConsumers must be an array of stream consumers');
  const consumerNames = new Set((Array.isArray(model?.streamConsumers) ? model.streamConsumers : []).map((c) => c?.settings?.name));
  for (const p of Array.isArray(model?.catalog) ? model.catalog : []) {
    if (p?.trigger !== undefined && !consumerNames.has(p.trigger?.stream)) problems.push(`catalog pattern ${p.name}: trigger.stream ${JSON.stringify(p.trigger?.stream)} names no consumer of streamConsumers`);
  }
  if (problems.length) throw new ModelError(`invalid model: ${problems.join('; ')}`);
  return model;
}

export class ModelError extends Error {
  override readonly name = 'ModelError';
}

/** The model's table, derived from its entities and table options. */
export function modelTable<C extends Catalog, Services, Seed>(model: Model<C, Services, Seed>, tableName: string): TableDefinition {
  return deriveTableDefinition({ tableName, entities: model.entities, ...model.table });
}
