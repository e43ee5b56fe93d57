import type { Catalog } from '../catalog/types';
import type { Model } from '../model/define-model';
import { snapshotModel, stableJson, type KeySnapshot, type ModelSnapshot, type TableIndexSnapshot } from './snapshot';

/** One physical change between a snapshot and a model, and what it means for stored items. */
export type ModelChange =
  | { kind: 'index-added'; index: string; keys: string; meaning: string }
  | { kind: 'index-removed'; index: string; meaning: string }
  | { kind: 'index-keys-changed'; index: string; from: string; to: string; meaning: string }
  | { kind: 'projection-changed'; index: string; from: string; to: string; meaning: string }
  | { kind: 'primary-key-changed'; from: string; to: string; meaning: string }
  | { kind: 'key-template-changed'; entity: string; accessPattern: string; index: string; field: string; from: string; to: string; meaning: string }
  | { kind: 'entity-index-added'; entity: string; accessPattern: string; index: string; meaning: string }
  | { kind: 'entity-index-removed'; entity: string; accessPattern: string; index: string; meaning: string }
  | { kind: 'entity-version-changed'; entity: string; from: string; to: string; meaning: string }
  | { kind: 'entity-added'; entity: string; meaning: string }
  | { kind: 'entity-removed'; entity: string; meaning: string }
  | { kind: 'attribute-added'; entity: string; attribute: string; required: boolean; hasDefault: boolean; meaning: string }
  | { kind: 'attribute-removed'; entity: string; attribute: string; readBy: string[]; meaning: string }
  | { kind: 'attribute-type-changed'; entity: string; attribute: string; from: string; to: string; meaning: string }
  | { kind: 'ttl-changed'; from: string; to: string; meaning: string }
  | { kind: 'stream-changed'; from: string; to: string; meaning: string };

export interface PatternChange {
  pattern: string;
  /** `changed`: the pattern sends different requests (declared, or key values of entities it reads); `added` / `removed` from the catalog. */
  change: 'changed' | 'added' | 'removed';
  why: string;
}

export interface ModelDiff {
  model: string;
  changes: ModelChange[];
  patterns: PatternChange[];
  /** Entities whose stored items must be rewritten (keys, version or defaults). */
  rewrite: string[];
}

export class MigrationInputError extends Error {
  override readonly name = 'MigrationInputError';
}

const keyText = (k: KeySnapshot | undefined) =>
  k === undefined
    ? '(none)'
    : `${k.field} = ${k.template !== undefined ? `template ${JSON.stringify(k.template)}` : `${k.prefix ?? ''}[${k.composite.join(', ')}]`} casing ${k.casing}${k.cast === 'number' ? ' as number' : ''}`;
const projectionText = (p: TableIndexSnapshot['projection']) => (p.type === 'INCLUDE' ? `INCLUDE (${p.attributes.join(', ')})` : p.type);
const indexKeys = (ix: { pk: string; sk?: string }) => `${ix.pk}${ix.sk ? ` / ${ix.sk}` : ''}`;
const typeText = (t: string | string[]) => (Array.isArray(t) ? `enum(${t.join('|')})` : t);

/** Attribute names a catalog pattern's key conditions or filters mention (lowercased, as the shapes are). */
function patternMentions(pattern: ModelSnapshot['patterns'][string]): Set<string> {
  const words = new Set<string>();
  for (const r of pattern.requests) for (const s of [...(r.keyConditions ?? []), ...(r.filters ?? [])]) for (const w of s.match(/[a-z_][a-z0-9_]*/gi) ?? []) words.add(w.toLowerCase());
  return words;
}

/**
 * What changed physically between a committed snapshot and the model as it is now, what each
 * change means for stored items, and which catalog patterns send different requests. The snapshot
 * must be of the same model (by name): a snapshot of another model is refused.
 */
export function diffModel<C extends Catalog, S, D>(from: ModelSnapshot, model: Model<C, S, D>, tableName = from.table.name): ModelDiff {
  if (from.model !== model.name) throw new MigrationInputError(`the snapshot is of model "${from.model}", not "${model.name}": diff a model against its own snapshot`);
  return diffSnapshots(from, snapshotModel(model, tableName));
}

export function diffSnapshots(from: ModelSnapshot, to: ModelSnapshot): ModelDiff {
  const changes: ModelChange[] = [];
  const rewrite = new Set<string>();
  const changedIndexesByEntity = new Map<string, Set<string>>();
  const touch = (entity: string, index: string) => {
    rewrite.add(entity);
    const s = changedIndexesByEntity.get(entity) ?? new Set<string>();
    s.add(index);
    changedIndexesByEntity.set(entity, s);
  };
  if (indexKeys(from.table.primary) !== indexKeys(to.table.primary)) {
    changes.push({ kind: 'primary-key-changed', from: indexKeys(from.table.primary), to: indexKeys(to.table.primary), meaning: 'a table\'s primary key cannot change: copy into a new table' });
  }
  for (const [name, ix] of Object.entries(to.table.indexes)) {
    const old = from.table.indexes[name];
    if (!old) changes.push({ kind: 'index-added', index: name, keys: indexKeys(ix), meaning: `UpdateTable creates ${name}; items appear in it once they carry ${indexKeys(ix)}` });
    else if (indexKeys(old) !== indexKeys(ix)) changes.push({ kind: 'index-keys-changed', index: name, from: indexKeys(old), to: indexKeys(ix), meaning: `${name} is deleted and created again with the new keys (two UpdateTables)` });
    else if (projectionText(old.projection) !== projectionText(ix.projection)) {
      changes.push({ kind: 'projection-changed', index: name, from: projectionText(old.projection), to: projectionText(ix.projection), meaning: `a projection cannot change in place: ${name} is deleted and created again (it is unavailable between)` });
    }
  }
  for (const name of Object.keys(from.table.indexes)) {
    if (!to.table.indexes[name]) changes.push({ kind: 'index-removed', index: name, meaning: `UpdateTable deletes ${name}; its key attributes stay on the items unless an entity's rewrite drops them` });
  }
  for (const [name, e] of Object.entries(to.entities)) {
    const old = from.entities[name];
    if (!old) {
      changes.push({ kind: 'entity-added', entity: name, meaning: 'new items only; nothing stored to rewrite' });
      continue;
    }
    if (old.version !== e.version) {
      touch(name, 'table');
      changes.push({ kind: 'entity-version-changed', entity: name, from: old.version, to: e.version, meaning: `ElectroDB reads only items of version ${e.version}: every ${name} item must be rewritten` });
    }
    for (const [ap, ix] of Object.entries(e.indexes)) {
      const was = old.indexes[ap] ?? Object.values(old.indexes).find((o) => o.index === ix.index);
      if (!was) {
        touch(name, ix.index);
        changes.push({ kind: 'entity-index-added', entity: name, accessPattern: ap, index: ix.index, meaning: `${name} items must be rewritten to carry ${ix.index}'s keys` });
        continue;
      }
      for (const part of ['pk', 'sk'] as const) {
        const a = keyText(was[part]);
        const b = keyText(ix[part]);
        if (a !== b) {
          touch(name, ix.index);
          changes.push({ kind: 'key-template-changed', entity: name, accessPattern: ap, index: ix.index, field: ix[part]?.field ?? was[part]?.field ?? part, from: a, to: b, meaning: `every ${name} item's ${ix.index} ${part === 'pk' ? 'partition' : 'sort'} key is rewritten` });
        }
      }
    }
    for (const [ap, ix] of Object.entries(old.indexes)) {
      if (!e.indexes[ap] && !Object.values(e.indexes).some((n) => n.index === ix.index)) {
        touch(name, ix.index);
        changes.push({ kind: 'entity-index-removed', entity: name, accessPattern: ap, index: ix.index, meaning: `${name} items lose ${ix.index}'s key attributes (they leave the index)` });
      }
    }
    for (const [attr, a] of Object.entries(e.attributes)) {
      const was = old.attributes[attr];
      if (!was) {
        if (a.hasDefault) rewrite.add(name);
        changes.push({
          kind: 'attribute-added',
          entity: name,
          attribute: attr,
          required: a.required,
          hasDefault: a.hasDefault,
          meaning: a.hasDefault ? `stored ${name} items get the default` : a.required ? `required without a default: stored ${name} items cannot be rewritten (each is reported)` : 'optional: stored items read it as absent',
        });
      } else if (typeText(was.type) !== typeText(a.type)) {
        changes.push({ kind: 'attribute-type-changed', entity: name, attribute: attr, from: typeText(was.type), to: typeText(a.type), meaning: `stored values of the old type fail ElectroDB's validation on write; rewrite them in a service` });
      }
    }
    for (const [attr, a] of Object.entries(old.attributes)) {
      if (e.attributes[attr]) continue;
      const readBy = Object.entries(to.patterns)
        .filter(([, p]) => p.entities.includes(name) && (patternMentions(p).has(attr.toLowerCase()) || patternMentions(p).has(a.field.toLowerCase())))
        .map(([p]) => p);
      changes.push({ kind: 'attribute-removed', entity: name, attribute: attr, readBy, meaning: readBy.length ? `still read by ${readBy.join(', ')}: refused` : 'the stored values stay on the items (the model no longer reads them)' });
    }
  }
  for (const name of Object.keys(from.entities)) {
    if (!to.entities[name]) changes.push({ kind: 'entity-removed', entity: name, meaning: 'its items stay in the table; no pattern reads them' });
  }
  if ((from.table.ttlAttribute ?? '') !== (to.table.ttlAttribute ?? '')) {
    changes.push({ kind: 'ttl-changed', from: from.table.ttlAttribute ?? '(off)', to: to.table.ttlAttribute ?? '(off)', meaning: 'UpdateTimeToLive (one change per hour on DynamoDB)' });
  }
  if (String(from.table.stream) !== String(to.table.stream)) {
    changes.push({ kind: 'stream-changed', from: String(from.table.stream), to: String(to.table.stream), meaning: 'UpdateTable StreamSpecification (a view type change is disable, then enable: a new stream ARN)' });
  }
  const patterns: PatternChange[] = [];
  for (const [name, p] of Object.entries(to.patterns)) {
    const old = from.patterns[name];
    if (!old) {
      patterns.push({ pattern: name, change: 'added', why: 'new in the catalog' });
      continue;
    }
    // Key order differs between a snapshot read from its file and one just made.
    if (stableJson(old.requests) !== stableJson(p.requests)) {
      patterns.push({ pattern: name, change: 'changed', why: 'its declared requests differ' });
      continue;
    }
    const reasons = p.entities.flatMap((entity) => {
      const indexes = changedIndexesByEntity.get(entity);
      const used = [...new Set(p.requests.map((r) => r.index))].filter((i) => indexes?.has(i) || (indexes?.has('table') && from.entities[entity]?.version !== to.entities[entity]?.version));
      return used.map((i) => `${entity} keys on ${i} changed`);
    });
    if (reasons.length) patterns.push({ pattern: name, change: 'changed', why: `${[...new Set(reasons)].join('; ')}: it finds stored items only after the rewrite` });
  }
  for (const name of Object.keys(from.patterns)) if (!to.patterns[name]) patterns.push({ pattern: name, change: 'removed', why: 'no longer in the catalog' });
  return { model: to.model, changes, patterns, rewrite: [...rewrite].sort() };
}
