import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** DynamoDB prices for one region and table class, with the date they took effect. */
export interface PriceTable {
  region: string;
  tableClass: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  /** ISO date the prices took effect (so a report says how old its prices are). */
  effectiveDate: string;
  source: string;
  onDemand: {
    /** USD per million write request units. */
    writeRequestUnitsPerMillion: number;
    /** USD per million read request units. */
    readRequestUnitsPerMillion: number;
  };
  provisioned: {
    /** USD per WCU-hour. */
    writeCapacityUnitHour: number;
    /** USD per RCU-hour. */
    readCapacityUnitHour: number;
  };
  /** USD per GB-month (GB = 2^30 bytes). */
  storageGbMonth: number;
  /** DAX node prices (on-demand, per node-hour), for the DAX cost comparison. */
  dax?: DaxPrices;
  /** DynamoDB Streams reads by consumers other than Lambda triggers (Lambda's are free). */
  streams?: StreamsPrices;
}

/** What reading a table's stream costs: one stream read request unit per GetRecords call (up to 1,000 records or 1 MB). */
export interface StreamsPrices {
  effectiveDate: string;
  source: string;
  /** USD per 100,000 stream read request units. */
  readRequestUnitsPer100k: number;
}

/** What DAX nodes cost in the table's region: a cluster is billed per node-hour, nothing per request. */
export interface DaxPrices {
  effectiveDate: string;
  source: string;
  /** USD per node-hour, by node type (`dax.t3.small`, `dax.r5.large`...). */
  nodeHour: Record<string, number>;
}

/** us-east-1, Standard table class, after the 1 November 2024 on-demand price cut. */
export const US_EAST_1_STANDARD: PriceTable = {
  region: 'us-east-1',
  tableClass: 'STANDARD',
  effectiveDate: '2024-11-01',
  source: 'https://aws.amazon.com/dynamodb/pricing/',
  onDemand: { writeRequestUnitsPerMillion: 0.625, readRequestUnitsPerMillion: 0.125 },
  provisioned: { writeCapacityUnitHour: 0.00065, readCapacityUnitHour: 0.00013 },
  storageGbMonth: 0.25,
  // DAX is priced per node-hour. The AWS pricing page is the source; these figures are as quoted
  // from it for US East (N. Virginia) in 2026 (dax.t3.small $0.04, dax.r5.large $0.269). A price
  // file can add node types or change these (`dax.nodeHour`).
  dax: {
    effectiveDate: '2026-04-01',
    source: 'https://aws.amazon.com/dynamodb/pricing/provisioned/ (DynamoDB Accelerator)',
    nodeHour: { 'dax.t3.small': 0.04, 'dax.r5.large': 0.269 },
  },
  // "$0.02 per 100,000 DynamoDB Streams read request units" after the first 2,500,000 a month
  // (free tier, not counted here, like the table's); GetRecords by Lambda triggers is not charged.
  streams: {
    effectiveDate: '2024-11-01',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (Change data capture: DynamoDB Streams)',
    readRequestUnitsPer100k: 0.02,
  },
};

const price = z.number().nonnegative().finite();
const priceOverride = z
  .object({
    region: z.string().min(1),
    tableClass: z.enum(['STANDARD', 'STANDARD_INFREQUENT_ACCESS']),
    effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
    source: z.string(),
    onDemand: z.object({ writeRequestUnitsPerMillion: price, readRequestUnitsPerMillion: price }).strict().partial(),
    provisioned: z.object({ writeCapacityUnitHour: price, readCapacityUnitHour: price }).strict().partial(),
    storageGbMonth: price,
    dax: z
      .object({
        effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
        source: z.string(),
        nodeHour: z.record(z.string(), price).superRefine((rates, ctx) => {
          for (const name of Object.keys(rates)) {
            if (!/^dax\.[a-z0-9]+\.[a-z0-9]+$/.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'node types are named like dax.r5.large' });
          }
        }),
      })
      .strict()
      .partial(),
    streams: z
      .object({ effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'), source: z.string(), readRequestUnitsPer100k: price })
      .strict()
      .partial(),
  })
  .strict()
  .partial();

/** A price file that does not match the schema; names the field and the rule. */
export class PriceFileError extends Error {
  override readonly name = 'PriceFileError';
}

/**
 * Prices from a JSON file, over the defaults: a file need only hold what differs (another region,
 * a newer price). A file that changes prices must also give its effectiveDate, so no report shows
 * new prices under an old date.
 */
export function loadPrices(path: string, base: PriceTable = US_EAST_1_STANDARD): PriceTable {
  return applyPriceOverride(JSON.parse(readFileSync(path, 'utf8')) as unknown, base, path);
}

export function applyPriceOverride(input: unknown, base: PriceTable = US_EAST_1_STANDARD, source = 'prices'): PriceTable {
  const parsed = priceOverride.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PriceFileError(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const o = parsed.data;
  const changesPrices = o.onDemand !== undefined || o.provisioned !== undefined || o.storageGbMonth !== undefined || o.region !== undefined;
  if (changesPrices && o.effectiveDate === undefined) {
    throw new PriceFileError(`${source}: effectiveDate: required when prices or region change`);
  }
  if (o.dax?.nodeHour !== undefined && o.dax.effectiveDate === undefined) {
    throw new PriceFileError(`${source}: dax.effectiveDate: required when DAX node prices change`);
  }
  if (o.streams?.readRequestUnitsPer100k !== undefined && o.streams.effectiveDate === undefined) {
    throw new PriceFileError(`${source}: streams.effectiveDate: required when the stream read price changes`);
  }
  const streams = o.streams === undefined ? base.streams : { effectiveDate: '', source: '', readRequestUnitsPer100k: 0, ...base.streams, ...o.streams };
  const dax = o.dax === undefined ? base.dax : { effectiveDate: '', source: '', ...base.dax, ...o.dax, nodeHour: { ...base.dax?.nodeHour, ...o.dax.nodeHour } };
  const { dax: _daxOverride, streams: _streamsOverride, ...rest } = o;
  return {
    ...base,
    ...rest,
    onDemand: { ...base.onDemand, ...o.onDemand },
    provisioned: { ...base.provisioned, ...o.provisioned },
    ...(dax === undefined ? {} : { dax }),
    ...(streams === undefined ? {} : { streams }),
  };
}
