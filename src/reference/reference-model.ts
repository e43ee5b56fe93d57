import { defineModel } from '../toolkit';
import { catalog } from '../access-patterns/catalog';
import { createPatternRunners } from '../access-patterns/runners';
import { seedReferenceData } from '../access-patterns/seed';
import { entities, TTL_ATTRIBUTE } from '../entities';
import { createServices } from '../services/create-services';
import { membershipNames } from './stream-consumers';

/**
 * The reference model as the toolkit takes any model: what `single-table-kit <command>` runs
 * without `--model`. Seed size = users.
 */
export const referenceModel = defineModel({
  name: 'reference (users, organizations, orders, sessions)',
  entities,
  table: { ttlAttribute: TTL_ATTRIBUTE, stream: 'NEW_AND_OLD_IMAGES' },
  catalog,
  streamConsumers: [membershipNames],
  services: ({ client, tableName }) => createServices({ client, tableName }),
  seed: (services, { size, onProgress }) => seedReferenceData(services, { users: size, onProgress }),
  runners: createPatternRunners,
});
