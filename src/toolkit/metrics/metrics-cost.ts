import type { RecordedRequest } from '../recorder/request-recorder';
import { aggregateLine, emfLine, MAX_EMF_VALUES } from './emf-metrics';

/** CloudWatch Logs prices (EMF lines are billed as log ingestion), with the date they are from. */
export interface LogsPriceTable {
  region: string;
  /** ISO date the price was recorded as current. */
  effectiveDate: string;
  source: string;
  /** USD per GB (2^30 bytes) ingested, Standard log class, first tier. */
  ingestionPerGb: number;
}

/** us-east-1, Standard log class: $0.50 per GB ingested (the first tier of vended logs is the same). */
export const CLOUDWATCH_LOGS_US_EAST_1: LogsPriceTable = {
  region: 'us-east-1',
  effectiveDate: '2026-11-26',
  source: 'https://aws.amazon.com/cloudwatch/pricing/',
  ingestionPerGb: 0.5,
};

export interface MetricsCost {
  mode: 'per-request' | 'aggregate';
  linesPerMonth: number;
  gbPerMonth: number;
  monthly: number;
}

const SECONDS_PER_MONTH = 730 * 3600;
const GB = 2 ** 30;

/**
 * Monthly log ingestion of the EMF metrics in each mode, from the DynamoDB requests per second of
 * each pattern and the (table, index, operation) groups its requests fall in. Line sizes come
 * from the real line builders (sample lines), not from a guess.
 */
export function metricsIngestionCost(
  traffic: readonly { pattern: string; requestsPerSecond: number; groups: readonly { table: string; index: string | undefined; operation: string; share: number }[] }[],
  options: { flushIntervalSeconds?: number; prices?: LogsPriceTable; namespace?: string } = {},
): { perRequest: MetricsCost; aggregate: MetricsCost; prices: LogsPriceTable; flushIntervalSeconds: number } {
  const prices = options.prices ?? CLOUDWATCH_LOGS_US_EAST_1;
  const interval = options.flushIntervalSeconds ?? 60;
  const namespace = options.namespace ?? 'SingleTableKit';
  let perRequestBytes = 0;
  let perRequestLines = 0;
  let aggregateBytes = 0;
  let aggregateLines = 0;
  for (const p of traffic) {
    for (const g of p.groups) {
      const rate = p.requestsPerSecond * g.share;
      if (rate <= 0) continue;
      const sample: RecordedRequest = {
        operation: g.operation, tables: [g.table], index: g.index, keyCondition: undefined, filter: undefined, partitions: [], itemKeys: [],
        consistentRead: false, limit: undefined, pattern: p.pattern, consumedCapacity: [], readUnits: 0.5, writeUnits: 0,
        itemCount: 1, scannedCount: 1, durationMs: 12.345, error: undefined, startedAt: Date.UTC(2026, 0, 1),
      };
      const lines = rate * SECONDS_PER_MONTH;
      perRequestLines += lines;
      perRequestBytes += lines * (Buffer.byteLength(emfLine(sample, namespace)) + 1);
      // Per interval: one line per 100 requests of the group (EMF's value-array limit), at least one.
      const perInterval = rate * interval;
      const full = Math.floor(perInterval / MAX_EMF_VALUES);
      const rest = perInterval - full * MAX_EMF_VALUES;
      const line = (n: number) =>
        Buffer.byteLength(
          aggregateLine(
            {
              dimensions: { table: g.table, index: g.index ?? 'table', pattern: p.pattern, operation: g.operation },
              startedAt: sample.startedAt,
              latencies: Array.from({ length: Math.max(1, Math.ceil(n)) }, () => 12.345),
              requests: Math.ceil(n), errors: 0, readUnits: n / 2, writeUnits: 0, items: Math.ceil(n),
            },
            namespace,
          ),
        ) + 1;
      const intervals = SECONDS_PER_MONTH / interval;
      aggregateLines += intervals * (full + (rest > 0 ? 1 : 0));
      aggregateBytes += intervals * (full * line(MAX_EMF_VALUES) + (rest > 0 ? line(rest) : 0));
    }
  }
  const cost = (mode: MetricsCost['mode'], lines: number, bytes: number): MetricsCost => ({ mode, linesPerMonth: lines, gbPerMonth: bytes / GB, monthly: (bytes / GB) * prices.ingestionPerGb });
  return { perRequest: cost('per-request', perRequestLines, perRequestBytes), aggregate: cost('aggregate', aggregateLines, aggregateBytes), prices, flushIntervalSeconds: interval };
}
