import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Catalog } from '../catalog/types';
import type { Model } from '../model/define-model';
import { classifyError } from '../requests/classify-error';
import { unchangedCondition } from './run';
import type { ModelSnapshot } from './snapshot';
import { ItemUpgrader, type Item, type UpgradeOptions } from './upgrade-item';

/**
 * For services deployed on the new model before the backfill ends: reads an item in either
 * layout and returns it in the new one (upgraded in memory, as the migration would write it),
 * optionally writing the upgrade back under the same unchanged-since-read condition the
 * migration uses (a lost race is left to the migration, never retried over a newer write).
 */
export class MigratingReader {
  readonly upgrader: ItemUpgrader;
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    from: ModelSnapshot,
    model: Model<Catalog, unknown, unknown>,
    private readonly options: UpgradeOptions & { writeBack?: boolean } = {},
  ) {
    this.upgrader = new ItemUpgrader(from, model, tableName, options);
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** The item as the new model stores it (the same object when it already is). */
  upgrade(item: Item): Item {
    const u = this.upgrader.upgrade(item);
    return u.kind === 'update' || u.kind === 'move' ? u.after : item;
  }

  /** GetItem, upgraded; with `writeBack`, an item whose primary key stays is written back upgraded. */
  async get(key: Item, options: { consistent?: boolean } = {}): Promise<Item | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: options.consistent }));
    const item = out.Item as Item | undefined;
    if (!item) return undefined;
    const u = this.upgrader.upgrade(item);
    if (u.kind !== 'update' && u.kind !== 'move') return item;
    if (this.options.writeBack && u.kind === 'update') {
      const condition = unchangedCondition(item, this.upgrader.declaredFields(u.entity));
      const names = { ...condition.ExpressionAttributeNames };
      const values = { ...condition.ExpressionAttributeValues };
      const sets = Object.entries(u.set).map(([f, v], i) => ((names[`#s${i}`] = f), (values[`:s${i}`] = v), `#s${i} = :s${i}`));
      const removes = u.remove.map((f, i) => ((names[`#r${i}`] = f), `#r${i}`));
      const update = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
      try {
        await this.doc.send(new UpdateCommand({ TableName: this.tableName, Key: this.upgrader.keyOf(item), UpdateExpression: update, ConditionExpression: condition.ConditionExpression, ExpressionAttributeNames: names, ExpressionAttributeValues: values }));
      } catch (error) {
        if (classifyError(error) !== 'conditional') throw error;
      }
    }
    return u.after;
  }
}
