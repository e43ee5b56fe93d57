import { readFileSync } from 'node:fs';
import { z } from 'zod';

/*
 * Upper bounds keep every figure the cost model derives finite (a month of 1e306 requests/s is
 * Infinity): far above any table's traffic, far below where doubles overflow.
 */
export const PROFILE_LIMITS = { requestsPerSecond: 1e9, unitsPerCall: 1e6, itemCount: 1e15 } as const;

const rate = z.number().finite().nonnegative().max(PROFILE_LIMITS.requestsPerSecond, `must be a number of requests per second from 0 to ${PROFILE_LIMITS.requestsPerSecond.toExponential()}`);
const unitsPerCall = z.number().finite().nonnegative().max(PROFILE_LIMITS.unitsPerCall, `must be a number of units from 0 to ${PROFILE_LIMITS.unitsPerCall.toExponential()}`);

const patternTraffic = z
  .object({
    /** Requests per second averaged over the whole day. */
    requestsPerSecond: rate,
    /** Requests per second during the daily peak. */
    peakRequestsPerSecond: rate.optional(),
    /** How many hours a day the peak lasts (0 < h ≤ 24). */
    peakHoursPerDay: z.number().finite().gt(0).max(24).optional(),
    /** Units per call, when not measured (e.g. a pattern of a model you have not built yet). */
    readUnitsPerCall: unitsPerCall.optional(),
    writeUnitsPerCall: unitsPerCall.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.peakRequestsPerSecond === undefined) !== (p.peakHoursPerDay === undefined)) {
      ctx.addIssue({ code: 'custom', path: [p.peakRequestsPerSecond === undefined ? 'peakRequestsPerSecond' : 'peakHoursPerDay'], message: 'peakRequestsPerSecond and peakHoursPerDay go together' });
      return;
    }
    if (p.peakRequestsPerSecond === undefined || p.peakHoursPerDay === undefined) return;
    if (p.peakRequestsPerSecond < p.requestsPerSecond) {
      ctx.addIssue({ code: 'custom', path: ['peakRequestsPerSecond'], message: 'must be at least requestsPerSecond (the daily average)' });
    } else if (p.peakRequestsPerSecond * p.peakHoursPerDay > p.requestsPerSecond * 24 + 1e-9) {
      // The average covers the peak hours too: a peak this long would lift the average above the one given.
      ctx.addIssue({ code: 'custom', path: ['peakRequestsPerSecond'], message: `peak × peakHoursPerDay must not exceed requestsPerSecond × 24 (the daily average includes the peak)` });
    }
  });

const storedItems = z
  .object({
    count: z.number().int().nonnegative().max(PROFILE_LIMITS.itemCount, `must be a whole number of items from 0 to ${PROFILE_LIMITS.itemCount.toExponential()}`),
    /** Average item size in bytes (attribute names and values, as DynamoDB sizes them). */
    averageBytes: z.number().finite().nonnegative().max(400 * 1024),
    /** Secondary-index entries per item (with ALL projection each is a full copy). Default 0. */
    indexEntriesPerItem: z.number().int().nonnegative().max(25).default(0),
    /** Size of one index entry in bytes. Default: averageBytes (ALL projection). */
    indexEntryBytes: z.number().finite().nonnegative().max(400 * 1024).optional(),
  })
  .strict();

const streamTraffic = z
  .object({
    /** How the consumer reads the stream: `lambda` (a trigger: reads are free; the default) or `streams-api` (charged per GetRecords). */
    reader: z.enum(['lambda', 'streams-api']).optional(),
    /** Records a second the consumer handles (each a call of the pattern it triggers), when not derived from the patterns' rates. */
    recordsPerSecond: rate.optional(),
    /** GetRecords calls a second of a `streams-api` reader (default: one a second, more when over 1,000 records a second). */
    getRecordsPerSecond: rate.optional(),
  })
  .strict();

export const trafficProfileSchema = z
  .object({
    description: z.string().optional(),
    /** Auto-scaling target utilization for provisioned capacity (0.2–0.9 as DynamoDB allows). Default 0.7. */
    targetUtilization: z.number().min(0.2).max(0.9).optional(),
    patterns: z.record(z.string().min(1), patternTraffic),
    storage: z.object({ items: z.record(z.string().min(1), storedItems) }).strict().optional(),
    /** Per stream consumer (by its settings.name): how it reads the stream, and its rate when not derived. */
    streams: z.record(z.string().min(1), streamTraffic).optional(),
  })
  .strict();

export type TrafficProfile = z.infer<typeof trafficProfileSchema>;
export type PatternTraffic = TrafficProfile['patterns'][string];

/** A traffic profile that does not match the schema: names the field and the rule. */
export class TrafficProfileError extends Error {
  override readonly name = 'TrafficProfileError';
  constructor(
    readonly field: string,
    readonly rule: string,
    source: string,
  ) {
    super(`${source}: ${field}: ${rule}`);
  }
}

export function parseTrafficProfile(input: unknown, source = 'profile'): TrafficProfile {
  const parsed = trafficProfileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrafficProfileError(issue?.path.join('.') || '(root)', issue?.message ?? 'invalid', source);
  }
  return parsed.data;
}

export function readTrafficProfile(path: string): TrafficProfile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TrafficProfileError('(file)', `not readable JSON: ${(error as Error).message}`, path);
  }
  return parseTrafficProfile(json, path);
}

/** Requests per second per pattern at peak (the average where no peak is given). */
export function peakRates(profile: TrafficProfile): Record<string, number> {
  return Object.fromEntries(Object.entries(profile.patterns).map(([name, p]) => [name, p.peakRequestsPerSecond ?? p.requestsPerSecond]));
}
