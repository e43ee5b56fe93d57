import type { TableDefinition, IndexProjection } from '../table/derive-table-definition';
import type { AttributeMap } from './item-size';

/** What the unit rules need to know of a table: its key and each GSI's keys and projection. */
export interface TableLayout {
  tableName: string;
  /** The table's key attributes (partition, then sort). */
  keys: string[];
  indexes: { name: string; keys: string[]; projection: IndexProjection }[];
}

/** The layout of a derived table (any model's). */
export function tableLayoutOf(definition: TableDefinition): TableLayout {
  const keys = (schema: { AttributeName?: string }[] | undefined) => (schema ?? []).map((k) => k.AttributeName ?? '');
  return {
    tableName: definition.input.TableName,
    keys: keys(definition.input.KeySchema),
    indexes: (definition.input.GlobalSecondaryIndexes ?? []).map((g) => {
      const type = g.Projection?.ProjectionType ?? 'ALL';
      const projection: IndexProjection =
        type === 'INCLUDE' ? { type: 'INCLUDE', attributes: g.Projection?.NonKeyAttributes ?? [] } : type === 'KEYS_ONLY' ? { type: 'KEYS_ONLY' } : { type: 'ALL' };
      return { name: g.IndexName ?? '', keys: keys(g.KeySchema), projection };
    }),
  };
}

/** An item is in a sparse GSI only when it has every key attribute of that index. */
export function inIndex(item: AttributeMap | undefined, index: TableLayout['indexes'][number]): boolean {
  return item !== undefined && index.keys.every((k) => item[k] !== undefined);
}

/** The index entry of an item: table keys, index keys and the projected attributes. */
export function projectToIndex(item: AttributeMap, index: TableLayout['indexes'][number], tableKeys: readonly string[]): AttributeMap {
  if (index.projection.type === 'ALL') return item;
  const keep = new Set([...tableKeys, ...index.keys, ...(index.projection.type === 'INCLUDE' ? index.projection.attributes : [])]);
  const out: AttributeMap = {};
  for (const [name, value] of Object.entries(item)) if (keep.has(name)) out[name] = value;
  return out;
}
