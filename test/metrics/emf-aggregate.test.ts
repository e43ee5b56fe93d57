import { aggregateLine, EmfMetrics, metricsIngestionCost, syncLineWriter, validateEmfLine, type RecordedRequest } from '../../src/toolkit';

const request = (r: Partial<RecordedRequest>): RecordedRequest => ({
  operation: 'Query', tables: ['t'], index: 'gsi1', keyCondition: undefined, filter: undefined, partitions: [], itemKeys: [],
  consistentRead: false, limit: undefined, pattern: 'listThings', consumedCapacity: [], readUnits: 0.5, writeUnits: 0,
  itemCount: 3, scannedCount: 3, durationMs: 2, error: undefined, startedAt: 1_700_000_000_000, ...r,
});

describe('aggregated EMF metrics (the default)', () => {
  it('writes one valid line per pattern, table, index and operation per flush, latencies as a value array', () => {
    const written: string[] = [];
    const m = new EmfMetrics({ write: (lines) => written.push(...lines), flushOnExit: false });
    for (let i = 0; i < 5; i += 1) m.record(request({ durationMs: i + 1 }));
    m.record(request({ pattern: 'getThing', operation: 'GetItem', index: undefined, error: 'ThrottlingException', itemCount: undefined }));
    expect(m.pending).toBe(2);
    m.detach();
    expect(written).toHaveLength(2);
    for (const line of written) expect(validateEmfLine(line)).toEqual([]);
    const list = JSON.parse(written.find((l) => l.includes('listThings')) as string);
    expect(list).toMatchObject({ Latency: [1, 2, 3, 4, 5], Requests: 5, Errors: 0, ReadCapacityUnits: 2.5, ItemsReturned: 15, pattern: 'listThings', index: 'gsi1', operation: 'Query' });
    expect(JSON.parse(written.find((l) => l.includes('getThing')) as string)).toMatchObject({ Requests: 1, Errors: 1, index: 'table' });
  });

  it('a group with 100 requests becomes a line at once (EMF allows 100 values a metric)', () => {
    const written: string[] = [];
    const m = new EmfMetrics({ write: (lines) => written.push(...lines), maxBatch: 1, flushOnExit: false });
    for (let i = 0; i < 250; i += 1) m.record(request({}));
    expect(written).toHaveLength(2);
    expect(JSON.parse(written[0] as string).Latency).toHaveLength(100);
    m.detach();
    expect(written.map((l) => JSON.parse(l).Requests)).toEqual([100, 100, 50]);
    for (const line of written) expect(validateEmfLine(line)).toEqual([]);
  });

  it('per-request mode stays available and valid', () => {
    const written: string[] = [];
    const m = new EmfMetrics({ mode: 'per-request', write: (lines) => written.push(...lines), flushOnExit: false });
    m.record(request({}));
    m.record(request({}));
    m.detach();
    expect(written).toHaveLength(2);
    for (const line of written) expect(validateEmfLine(line)).toEqual([]);
  });
});

describe('a writer that meets EAGAIN', () => {
  it('sleeps between attempts with a growing delay instead of spinning, then writes the rest', () => {
    const sleeps: number[] = [];
    const chunks: string[] = [];
    let refusals = 5;
    const write = syncLineWriter(1, {
      writeSync: (_fd, data, offset) => {
        if (refusals > 0) {
          refusals -= 1;
          throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
        }
        // a partial write: at most 4 bytes at a time
        const part = data.subarray(offset, offset + 4);
        chunks.push(part.toString());
        return part.length;
      },
      sleep: (ms) => sleeps.push(ms),
    });
    write(['{"a":1}']);
    expect(chunks.join('')).toBe('{"a":1}\n');
    expect(sleeps).toEqual([1, 2, 4, 8, 16]);
  });

  it('gives up after maxWaitMs of EAGAIN instead of retrying forever', () => {
    let attempts = 0;
    const sleeps: number[] = [];
    const write = syncLineWriter(1, {
      writeSync: () => {
        attempts += 1;
        throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      },
      sleep: (ms) => sleeps.push(ms),
      maxWaitMs: 500,
    });
    expect(() => write(['x'])).toThrow(/EAGAIN/);
    // 1+2+4+…+64 then 64 ms steps up to 500 ms: a dozen attempts, not millions
    expect(attempts).toBeLessThan(20);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(500);
  });

  it('sleeps for real when no sleep is given (Atomics.wait, off the CPU), then writes', () => {
    let refusals = 3;
    const write = syncLineWriter(1, {
      writeSync: (_fd, data, offset) => {
        if (refusals-- > 0) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
        return data.length - offset;
      },
    });
    write(['x']);
    expect(refusals).toBe(-1);
  });
});

describe('log ingestion cost of each mode', () => {
  it('per-request lines cost per request; aggregates per group and interval', () => {
    const traffic = [{ pattern: 'getThing', requestsPerSecond: 1000, groups: [{ table: 't', index: undefined, operation: 'GetItem', share: 1 }] }];
    const cost = metricsIngestionCost(traffic, { flushIntervalSeconds: 60 });
    // 1,000 req/s over a 730-hour month
    expect(cost.perRequest.linesPerMonth).toBe(1000 * 730 * 3600);
    // 60,000 requests a minute → 600 full lines a minute
    expect(cost.aggregate.linesPerMonth).toBe(600 * 730 * 60);
    expect(cost.aggregate.monthly).toBeLessThan(cost.perRequest.monthly);
    expect(cost.perRequest.monthly).toBeCloseTo((cost.perRequest.gbPerMonth * 0.5), 6);
    const line = aggregateLine({ dimensions: { table: 't', index: 'table', pattern: 'getThing', operation: 'GetItem' }, startedAt: 0, latencies: [1], requests: 1, errors: 0, readUnits: 0.5, writeUnits: 0, items: 1 }, 'N');
    expect(validateEmfLine(line)).toEqual([]);
  });
});
