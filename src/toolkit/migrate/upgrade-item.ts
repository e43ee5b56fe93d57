import type { Catalog } from '../catalog/types';
import type { Model } from '../model/define-model';
import type { EntitySnapshot, ModelSnapshot } from './snapshot';

/** The attributes ElectroDB stores its entity name and version in. */
export const ENTITY_FIELD = '__edb_e__';
export const VERSION_FIELD = '__edb_v__';

export type Item = Record<string, unknown>;

/** What becomes of one stored item under the new model. */
export type ItemUpgrade =
  | { kind: 'unchanged'; entity: string | undefined }
  /** Same primary key: fields to set and to remove (an UpdateItem). */
  | { kind: 'update'; entity: string; after: Item; set: Item; remove: string[] }
  /** The primary key changes: put the new item, delete the old (one transaction). */
  | { kind: 'move'; entity: string; after: Item; newKey: Item }
  | { kind: 'failed'; entity: string | undefined; reason: string };

/** What the upgrader reads of an ElectroDB entity at run time. */
interface PutEntity {
  schema: { model: { entity: string; version: string }; attributes: Record<string, { field?: string }>; indexes: Record<string, { pk: { field: string }; sk?: { field: string } }> };
  put(item: Item): { params(options: { table: string }): { Item?: Item } };
}

export interface UpgradeOptions {
  /** Renamed attributes per entity: `{ user: { fullName: 'name' } }` (old name to new name). */
  renames?: Record<string, Record<string, string>>;
}

const keyFieldsOf = (e: { indexes: Record<string, { pk: { field: string }; sk?: { field: string } }> }) =>
  new Set(Object.values(e.indexes).flatMap((ix) => [ix.pk.field, ...(ix.sk ? [ix.sk.field] : [])]));

/** Deep equality of two stored values (DynamoDB's document values: scalars, lists, maps, sets). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((x) => [...b].some((y) => sameValue(x, y)));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a as Item);
    const kb = Object.keys(b as Item);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Item)[k], (b as Item)[k]));
  }
  return false;
}

/**
 * Rewrites stored items of the `from` layout into the `to` model's: the entity's put (in the new
 * model) computes every key field and fills attributes with a default; every other stored field
 * is kept as it is (including ones neither model knows). Items of no ElectroDB entity, and of
 * entities the new model dropped, are left alone. Idempotent: an item already in the new layout is
 * `unchanged`, which is what makes a resumed run harmless.
 */
export class ItemUpgrader {
  readonly primary: { pk: string; sk?: string };
  private readonly entities = new Map<string, PutEntity>();
  // Per entity, computed once: upgrade() runs for every item of a table.
  private readonly keyFields = new Map<string, { now: Set<string>; old: Set<string> }>();
  private readonly declared = new Map<string, readonly string[]>();

  constructor(
    readonly from: ModelSnapshot,
    to: Model<Catalog, unknown, unknown>,
    private readonly tableName: string,
    private readonly options: UpgradeOptions = {},
  ) {
    for (const e of to.entities) {
      const entity = e as unknown as PutEntity;
      this.entities.set(entity.schema.model.entity, entity);
    }
    const first = [...this.entities.values()][0];
    const table = first ? Object.values(first.schema.indexes).find((ix) => !(ix as { index?: string }).index) : undefined;
    this.primary = { pk: table?.pk.field ?? from.table.primary.pk, ...(table?.sk ? { sk: table.sk.field } : {}) };
  }

  /** The primary key of a stored item. */
  keyOf(item: Item): Item {
    return { [this.primary.pk]: item[this.primary.pk], ...(this.primary.sk ? { [this.primary.sk]: item[this.primary.sk] } : {}) };
  }

  /** Fields the old and new layouts declare for an entity (key fields, attributes, ElectroDB's own). */
  declaredFields(entityName: string): readonly string[] {
    const known = this.declared.get(entityName);
    if (known) return known;
    const fields = new Set<string>([ENTITY_FIELD, VERSION_FIELD]);
    const old: EntitySnapshot | undefined = this.from.entities[entityName];
    if (old) {
      for (const a of Object.values(old.attributes)) fields.add(a.field);
      for (const f of keyFieldsOf(old)) fields.add(f);
    }
    const now = this.entities.get(entityName);
    if (now) {
      for (const [name, a] of Object.entries(now.schema.attributes)) fields.add(a.field ?? name);
      for (const f of keyFieldsOf(now.schema)) fields.add(f);
    }
    const list = [...fields];
    this.declared.set(entityName, list);
    return list;
  }

  private keyFieldsFor(entityName: string, entity: PutEntity): { now: Set<string>; old: Set<string> } {
    let known = this.keyFields.get(entityName);
    if (!known) {
      const oldSnapshot = this.from.entities[entityName];
      known = { now: keyFieldsOf(entity.schema), old: oldSnapshot ? keyFieldsOf(oldSnapshot) : new Set<string>() };
      this.keyFields.set(entityName, known);
    }
    return known;
  }

  upgrade(item: Item): ItemUpgrade {
    const entityName = typeof item[ENTITY_FIELD] === 'string' ? (item[ENTITY_FIELD] as string) : undefined;
    if (entityName === undefined) return { kind: 'unchanged', entity: undefined };
    const entity = this.entities.get(entityName);
    if (!entity) return { kind: 'unchanged', entity: entityName };
    const renames = this.options.renames?.[entityName] ?? {};
    const oldSnapshot = this.from.entities[entityName];
    const attrs: Item = {};
    const fieldOf = (name: string) => entity.schema.attributes[name]?.field ?? name;
    const renamedFields = new Set<string>();
    for (const [oldName, newName] of Object.entries(renames)) {
      const oldField = oldSnapshot?.attributes[oldName]?.field ?? oldName;
      if (item[oldField] !== undefined && item[fieldOf(newName)] === undefined) attrs[newName] = item[oldField];
      if (oldField !== fieldOf(newName)) renamedFields.add(oldField);
    }
    for (const name of Object.keys(entity.schema.attributes)) {
      const value = item[fieldOf(name)];
      if (value !== undefined && attrs[name] === undefined) attrs[name] = value;
    }
    let computed: Item;
    try {
      computed = entity.put(attrs).params({ table: this.tableName }).Item ?? {};
    } catch (error) {
      return { kind: 'failed', entity: entityName, reason: (error as Error).message.replace(/ - For more detail.*$/s, '') };
    }
    const { now: newKeyFields, old: oldKeyFields } = this.keyFieldsFor(entityName, entity);
    const after: Item = { ...item };
    for (const f of renamedFields) delete after[f];
    // Key fields the entity no longer writes (an index it left) are removed: a stale key would keep it in that index.
    for (const f of oldKeyFields) if (!newKeyFields.has(f)) delete after[f];
    for (const f of newKeyFields) {
      if (computed[f] === undefined) delete after[f];
      else after[f] = computed[f];
    }
    after[ENTITY_FIELD] = computed[ENTITY_FIELD] ?? entityName;
    after[VERSION_FIELD] = computed[VERSION_FIELD] ?? entity.schema.model.version;
    // Attributes the new model fills with a default (absent from the stored item).
    for (const [f, v] of Object.entries(computed)) if (after[f] === undefined && !renamedFields.has(f)) after[f] = v;
    if (sameValue(after, item)) return { kind: 'unchanged', entity: entityName };
    const newKey = this.keyOf(after);
    if (!sameValue(newKey, this.keyOf(item))) return { kind: 'move', entity: entityName, after, newKey };
    const set: Item = {};
    for (const [f, v] of Object.entries(after)) if (!sameValue(v, item[f])) set[f] = v;
    const remove = Object.keys(item).filter((f) => after[f] === undefined);
    return { kind: 'update', entity: entityName, after, set, remove };
  }
}
