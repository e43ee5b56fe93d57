/**
 * Idempotency per stream record, stored in the model's own table: before a record's handlers run, a
 * marker keyed by the consumer and the record's eventID is put with a condition (absent, or an
 * in-progress lease that expired); it is marked COMPLETED after they succeed and deleted when they
 * fail. A record delivered again (Lambda's retry from the lowest failed sequence number, a restarted
 * consumer) finds COMPLETED and is skipped. The marker carries the table's TTL attribute, so
 * DynamoDB deletes it once the stream (24 hours) can no longer deliver the record again.
 *
 * The window left: a handler that applied its effect and then died before COMPLETED was written
 * (a crash, a timeout) leaves an in-progress lease; once it expires the record runs again. Effects
 * that must never repeat even then belong in one transaction with the marker (see docs/streams.md).
 */
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isConditionalCheckFailed } from '../requests';
import { StreamConsumerError } from './router';
import { IDEMPOTENCY_MARKER_ATTRIBUTE, IDEMPOTENCY_MARKER_PREFIX } from './stream-record';

const PREFIX = IDEMPOTENCY_MARKER_PREFIX;

export interface IdempotencyOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Epoch-seconds attribute DynamoDB's TTL deletes markers by; default the consumer's (the model's ttlAttribute). */
  ttlAttribute?: string;
  /** How long a completed marker is kept; default 48 hours (the stream keeps records 24). */
  keepSeconds?: number;
  /** How long an in-progress marker holds off another delivery of the record; default 60 seconds. */
  leaseSeconds?: number;
  /** Clock in ms (default Date.now): tests set it with the engine's. */
  clock?: () => number;
}

export type MarkerOutcome = 'acquired' | 'completed-before' | 'in-progress-elsewhere';

export class IdempotencyInProgressError extends Error {
  override readonly name = 'IdempotencyInProgressError';
  constructor(readonly eventID: string) {
    super(`stream record ${eventID} is being handled by another delivery (its in-progress marker has not expired)`);
  }
}

export interface KeyLayout {
  partitionKey: string;
  sortKey: string | undefined;
  partitionKeyType: 'S' | 'N';
}

/** The marker store of one consumer on one table. */
export class IdempotencyStore {
  private readonly ttlAttribute: string;
  private readonly keepSeconds: number;
  private readonly leaseSeconds: number;
  private readonly clock: () => number;

  constructor(
    private readonly options: IdempotencyOptions,
    private readonly consumer: string,
    private readonly keys: KeyLayout,
    consumerTtlAttribute: string | undefined,
  ) {
    const ttl = options.ttlAttribute ?? consumerTtlAttribute;
    if (!ttl) throw new StreamConsumerError('idempotency.ttlAttribute', 'the table has no TTL attribute: give the model table.ttlAttribute or idempotency.ttlAttribute, or markers would never expire');
    if (keys.partitionKeyType !== 'S') throw new StreamConsumerError('idempotency', `the table's partition key ${keys.partitionKey} is a number: markers need a string key`);
    if (!options.client || typeof options.tableName !== 'string' || options.tableName === '') throw new StreamConsumerError('idempotency', 'needs a client and the tableName');
    this.ttlAttribute = ttl;
    this.keepSeconds = positive('idempotency.keepSeconds', options.keepSeconds, 48 * 3600);
    this.leaseSeconds = positive('idempotency.leaseSeconds', options.leaseSeconds, 60);
    this.clock = options.clock ?? Date.now;
  }

  private key(eventID: string): Record<string, AttributeValue> {
    const key: Record<string, AttributeValue> = { [this.keys.partitionKey]: { S: `${PREFIX}${this.consumer}#${eventID}` } };
    if (this.keys.sortKey) key[this.keys.sortKey] = { S: PREFIX };
    return key;
  }

  /** Takes the record: `acquired` to run it, `completed-before` to skip it; throws IdempotencyInProgressError while another holds it. */
  async begin(eventID: string): Promise<MarkerOutcome> {
    const now = Math.floor(this.clock() / 1000);
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            ...this.key(eventID),
            [IDEMPOTENCY_MARKER_ATTRIBUTE]: { S: this.consumer },
            status: { S: 'IN_PROGRESS' },
            leaseUntil: { N: String(now + this.leaseSeconds) },
            [this.ttlAttribute]: { N: String(now + this.keepSeconds) },
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR (#status = :progress AND #lease < :now)',
          ExpressionAttributeNames: { '#pk': this.keys.partitionKey, '#status': 'status', '#lease': 'leaseUntil' },
          ExpressionAttributeValues: { ':progress': { S: 'IN_PROGRESS' }, ':now': { N: String(now) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'acquired';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const old = (error as { Item?: Record<string, AttributeValue> }).Item;
      if (old?.status?.S === 'COMPLETED') return 'completed-before';
      throw new IdempotencyInProgressError(eventID);
    }
  }

  async complete(eventID: string): Promise<void> {
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: this.key(eventID),
        UpdateExpression: 'SET #status = :done REMOVE #lease',
        ExpressionAttributeNames: { '#status': 'status', '#lease': 'leaseUntil' },
        ExpressionAttributeValues: { ':done': { S: 'COMPLETED' } },
      }),
    );
  }

  /** After a failure: the next delivery runs the record again. */
  async release(eventID: string): Promise<void> {
    await this.options.client.send(
      new DeleteItemCommand({
        TableName: this.options.tableName,
        Key: this.key(eventID),
        ConditionExpression: '#status = :progress',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':progress': { S: 'IN_PROGRESS' } },
      }),
    ).catch((error: unknown) => {
      if (!isConditionalCheckFailed(error)) throw error;
    });
  }
}

function positive(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new StreamConsumerError(field, 'must be a whole number of seconds, at least 1');
  return value;
}
