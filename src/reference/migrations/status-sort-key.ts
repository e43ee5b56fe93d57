import { Entity } from 'electrodb';
import { defineModel } from '../../toolkit';
import { User } from '../../entities';
import { referenceModel } from '../reference-model';

/*
 * The reference model's first migration: the status index's sort key went from `createdAt` to
 * `createdAt` then `userId` (a total order for listUsersByStatus). Users written before it keep
 * the old gsi3sk and list out of order until rewritten. This is the model as it was, so the
 * toolkit's migration can take a table from it to the current one (docs/migrations.md).
 */
const schema = User.schema as unknown as { model: object; attributes: object; indexes: Record<string, { sk: object }> };

/** The user entity before the change: the status index sorted by `createdAt` alone. */
export const UserBeforeStatusSortKey = new Entity({
  ...schema,
  indexes: {
    ...schema.indexes,
    byStatus: { ...schema.indexes.byStatus, sk: { field: 'gsi3sk', composite: ['createdAt'], casing: 'none' } },
  },
} as unknown as typeof User.schema);

/** The reference model as it was before the status index's sort key changed. */
export const referenceModelBeforeStatusSortKey = defineModel({
  ...referenceModel,
  entities: referenceModel.entities.map((e) => (e === User ? (UserBeforeStatusSortKey as unknown as typeof e) : e)),
});

// `single-table-kit snapshot --model src/reference/migrations/status-sort-key.ts` takes the default export.
export default referenceModelBeforeStatusSortKey;
