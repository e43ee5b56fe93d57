import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * Copies only an entity's own attributes: the key fields and ElectroDB's markers stay private.
 * The copier is generated once per entity with one named property access per attribute: a loop
 * over names reads each item through a megamorphic keyed load, ~0.5 µs per item, which on a
 * 25-item page was more than the page's whole budget.
 */
export function shaper<T>(entity: { schema: { attributes: Record<string, unknown> } }, options: { omit?: readonly string[] } = {}): (raw: Record<string, unknown>) => T {
  // `omit`: attributes the model keeps for itself (bookkeeping its services never return).
  const omitted = new Set(options.omit ?? []);
  const names = Object.keys(entity.schema.attributes).filter((name) => !omitted.has(name));
  // Attribute names come from the model's schema; JSON.stringify quotes any of them safely.
  const body = names.map((name, i) => `const v${i} = raw[${JSON.stringify(name)}]; if (v${i} !== undefined) out[${JSON.stringify(name)}] = v${i};`).join('\n');
  try {
    return new Function('raw', `const out = {};\n${body}\nreturn out;`) as (raw: Record<string, unknown>) => T;
  } catch {
    // Code generation disallowed (node --disallow-code-generation-from-strings, a CSP): a loop.
    return (raw) => {
      const out: Record<string, unknown> = {};
      for (const name of names) if (raw[name] !== undefined) out[name] = raw[name];
      return out as T;
    };
  }
}

/** The ElectroDB entity name an item belongs to. */
export function entityOf(raw: Record<string, unknown>): string | undefined {
  return raw.__edb_e__ as string | undefined;
}

const ENTITY_FILTER = /^[(\s]*#__edb_e__ = :__edb_e___\w+ AND #__edb_v__ = :__edb_v___\w+[)\s]*(OR[(\s]*#__edb_e__ = :__edb_e___\w+ AND #__edb_v__ = :__edb_v___\w+[)\s]*)*$/;

/**
 * ElectroDB filters a collection query on its entity markers. When the collection's sort-key
 * prefix already admits only its members and the caller dispatches on the marker itself (see
 * entityOf), the filter only costs DynamoDB work: drop it when it is nothing but that.
 */
export function withoutEntityFilter(built: object): QueryCommandInput {
  // ElectroDB types collection params loosely; they are a Query input.
  const params = built as QueryCommandInput;
  if (!params.FilterExpression || !ENTITY_FILTER.test(params.FilterExpression)) return params;
  const names = { ...params.ExpressionAttributeNames };
  delete names['#__edb_e__'];
  delete names['#__edb_v__'];
  const values = Object.fromEntries(Object.entries(params.ExpressionAttributeValues ?? {}).filter(([k]) => !k.startsWith(':__edb_')));
  const { FilterExpression: _filter, ...rest } = params;
  return { ...rest, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}
