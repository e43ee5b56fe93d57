/**
 * Throughput throttling as token buckets on the engine clock, charged with the capacity units the
 * engine reports (the one implementation in capacity/unit-rules.ts):
 * - per partition key value, DynamoDB's per-partition limits (3,000 read units/s, 1,000 write
 *   units/s), on every table and every GSI whatever the billing mode; a partition bucket holds one
 *   second of capacity: "burst capacity can't alleviate partition-level throttling".
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-key-range-limit-exceeded-mitigation.html
 * - on PROVISIONED tables, the table's and each GSI's provisioned units per second, keeping up to
 *   300 s of unused capacity as burst capacity.
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html
 * A partition is modelled as one partition key value: DynamoDB splits hot partitions "for heat"
 * down to a single key, which then stays capped at the per-partition limits.
 * LSIs share the base table's partitions and capacity: charge them to the table.
 * A refused request debits nothing and applies nothing.
 */
import { EngineError } from '../errors';
import type { AttributeValue } from '../types';
import { valueId } from './keys';

export interface ThrottlingOptions {
  /** Read units per second per partition key value (AWS: 3,000). */
  partitionReadUnitsPerSecond?: number;
  /** Write units per second per partition key value (AWS: 1,000). */
  partitionWriteUnitsPerSecond?: number;
  /** Enforce PROVISIONED tables' and GSIs' capacity (default true). */
  provisioned?: boolean;
  /** Seconds of unused provisioned capacity kept as burst capacity (AWS: 300). */
  burstSeconds?: number;
}

export const PARTITION_READ_UNITS_PER_SECOND = 3000;
export const PARTITION_WRITE_UNITS_PER_SECOND = 1000;
export const BURST_SECONDS = 300;

/** What the throttle needs to know of a table (E1's table state maps onto it). */
export interface ThroughputTable {
  tableName: string;
  tableArn: string;
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  /** Provisioned units per second (PROVISIONED tables). */
  readCapacityUnits?: number;
  writeCapacityUnits?: number;
  /** Each GSI's provisioned units (PROVISIONED tables). */
  indexes?: Record<string, { readCapacityUnits?: number; writeCapacityUnits?: number }>;
}

export interface ThroughputCharge {
  /** GSI name; undefined for the base table (and for LSIs, which share its partitions). */
  index?: string;
  /** The partition key value the units land on; undefined for a Scan (no one partition). */
  partitionKey?: AttributeValue;
  units: number;
}

/** Where a request lands, known before it runs (units follow once it ran). */
export type ThroughputTarget = Omit<ThroughputCharge, 'units'>;

interface Bucket {
  balance: number;
  last: number;
  /** Units per ms. */
  rate: number;
  capacity: number;
}

type Kind = 'read' | 'write';

interface BucketSpec {
  bucketKey: string;
  rate: number;
  capacity: number;
  initial: number;
  reason: string;
  resource: string;
}

/**
 * Token buckets in "debt" mode, as DynamoDB's admission works: a request is admitted while every
 * bucket it touches has a positive balance, then its actual units are debited (the balance may go
 * negative, and refills at the bucket's rate). Items of 1 KB on a 1,000 WCU partition: exactly
 * 1,000 writes per second of engine clock.
 */
export class ThroughputThrottle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly options: Required<ThrottlingOptions>;

  constructor(options: ThrottlingOptions) {
    this.options = ThroughputThrottle.resolve(options);
  }

  static resolve(options: ThrottlingOptions): Required<ThrottlingOptions> {
    return {
      partitionReadUnitsPerSecond: options.partitionReadUnitsPerSecond ?? PARTITION_READ_UNITS_PER_SECOND,
      partitionWriteUnitsPerSecond: options.partitionWriteUnitsPerSecond ?? PARTITION_WRITE_UNITS_PER_SECOND,
      provisioned: options.provisioned ?? true,
      burstSeconds: options.burstSeconds ?? BURST_SECONDS,
    };
  }

  get settings(): Readonly<Required<ThrottlingOptions>> {
    return this.options;
  }

  /** Forget a table's buckets (table deleted), or every bucket. */
  reset(tableName?: string): void {
    if (tableName === undefined) this.buckets.clear();
    else for (const k of [...this.buckets.keys()]) if (k.startsWith(tableName + '\u0000')) this.buckets.delete(k);
  }

  /** The throttling error when a bucket the request lands on is exhausted; undefined: admitted. */
  admit(table: ThroughputTable, kind: Kind, targets: readonly ThroughputTarget[], now: number): EngineError | undefined {
    const refused: BucketSpec[] = [];
    const seen = new Set<string>();
    for (const t of targets) {
      for (const spec of this.specs(table, kind, t)) {
        if (seen.has(spec.bucketKey)) continue;
        seen.add(spec.bucketKey);
        if (this.bucket(spec, now).balance <= 0) refused.push(spec);
      }
    }
    return refused.length ? throttlingError(table, refused) : undefined;
  }

  /** Debits the units a request consumed. */
  debit(table: ThroughputTable, kind: Kind, charges: readonly ThroughputCharge[], now: number): void {
    for (const c of charges) {
      if (!(c.units > 0)) continue;
      for (const spec of this.specs(table, kind, c)) this.bucket(spec, now).balance -= c.units;
    }
  }

  /** Balance of a partition's bucket (tests and diagnostics); undefined when untouched. */
  balance(tableName: string, kind: Kind, target: ThroughputTarget): number | undefined {
    const key = tableName + '\u0000' + (target.index ?? '') + '\u0000' + kind + (target.partitionKey ? '\u0000p\u0000' + valueId(target.partitionKey) : '\u0000t');
    return this.buckets.get(key)?.balance;
  }

  private specs(table: ThroughputTable, kind: Kind, t: ThroughputTarget): BucketSpec[] {
    const o = this.options;
    const K = kind === 'read' ? 'Read' : 'Write';
    const where = t.index === undefined ? 'Table' : 'Index';
    const resource = t.index === undefined ? table.tableArn : table.tableArn + '/index/' + t.index;
    const scope = table.tableName + '\u0000' + (t.index ?? '') + '\u0000' + kind;
    const out: BucketSpec[] = [];
    const partitionLimit = kind === 'read' ? o.partitionReadUnitsPerSecond : o.partitionWriteUnitsPerSecond;
    if (t.partitionKey !== undefined && partitionLimit > 0) {
      out.push({
        bucketKey: scope + '\u0000p\u0000' + valueId(t.partitionKey),
        rate: partitionLimit / 1000,
        capacity: partitionLimit,
        initial: partitionLimit,
        reason: where + K + 'KeyRangeThroughputExceeded',
        resource,
      });
    }
    if (table.billingMode === 'PROVISIONED' && o.provisioned) {
      const idx = t.index === undefined ? undefined : table.indexes?.[t.index];
      const perSecond = t.index === undefined
        ? (kind === 'read' ? table.readCapacityUnits : table.writeCapacityUnits)
        : (kind === 'read' ? idx?.readCapacityUnits : idx?.writeCapacityUnits);
      if (perSecond !== undefined && perSecond > 0) {
        out.push({
          bucketKey: scope + '\u0000t',
          rate: perSecond / 1000,
          capacity: Math.max(perSecond, perSecond * o.burstSeconds),
          // A new bucket holds one second of capacity; unused capacity then accrues up to the burst.
          initial: perSecond,
          reason: where + K + 'ProvisionedThroughputExceeded',
          resource,
        });
      }
    }
    return out;
  }

  private bucket(d: BucketSpec, now: number): Bucket {
    let b = this.buckets.get(d.bucketKey);
    if (!b) {
      b = { balance: d.initial, last: now, rate: d.rate, capacity: d.capacity };
      this.buckets.set(d.bucketKey, b);
    }
    // Provisioned capacity may have changed (UpdateTable): follow it.
    b.rate = d.rate;
    b.capacity = d.capacity;
    if (now > b.last) {
      b.balance = Math.min(b.capacity, b.balance + (now - b.last) * b.rate);
      b.last = now;
    }
    if (b.balance > b.capacity) b.balance = b.capacity;
    return b;
  }
}

const PROVISIONED_TABLE_MESSAGE =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const PROVISIONED_INDEX_MESSAGE =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API';
const ON_DEMAND_MESSAGE =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';

/**
 * PROVISIONED tables answer ProvisionedThroughputExceededException; an on-demand table's hot key
 * answers ThrottlingException. Both carry ThrottlingReasons (reason + resource ARN), and the SDKs
 * retry both. https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ThrottlingReason.html
 */
function throttlingError(table: ThroughputTable, refused: BucketSpec[]): EngineError {
  const reasons = refused.map((d) => ({ reason: d.reason, resource: d.resource }));
  if (table.billingMode === 'PROVISIONED') {
    const onIndex = refused.every((d) => d.reason.startsWith('Index'));
    return new EngineError('ProvisionedThroughputExceededException', onIndex ? PROVISIONED_INDEX_MESSAGE : PROVISIONED_TABLE_MESSAGE, 400, {
      ThrottlingReasons: reasons,
    });
  }
  return new EngineError('ThrottlingException', ON_DEMAND_MESSAGE, 400, { ThrottlingReasons: reasons });
}
