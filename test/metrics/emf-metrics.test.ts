import { EmfMetrics, emfLine } from '../../src/toolkit';
import { validateEmfLine } from '../../src/toolkit';
import type { RecordedRequest } from '../../src/toolkit';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

type Line = Record<string, unknown> & { _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } };

describe('EMF metrics per request, on DynamoDB Local', () => {
  const written: string[][] = [];
  const metrics = new EmfMetrics({ mode: 'per-request', namespace: 'StkTest', write: (lines) => written.push([...lines]), maxBatch: 1000, flushOnExit: false });
  let f: ModelFixture;
  let lines: Line[];
  beforeAll(async () => {
    // The fixture's own recorder stays attached too: both see every request.
    f = await createModelFixture('emf', { metrics });
    const user = await f.services.createUser({ email: `emf.${Date.now()}@example.com`, name: 'Emf' });
    await f.services.getUserById(user.userId);
    await f.services.getUserByEmail(user.email);
    await f.services.listUsersByStatus('active', { limit: 10 });
    expect(metrics.pending).toBeGreaterThan(0);
    metrics.flush();
    lines = written.flat().map((l) => JSON.parse(l) as Line);
  });
  afterAll(async () => {
    metrics.detach();
    await f.close();
  });

  it('writes one valid EMF line per request', () => {
    expect(f.recorder.requests().length).toBeGreaterThanOrEqual(lines.length);
    expect(lines.length).toBe(1 + 1 + 1 + 4); // transaction, get, query, 4 shard queries
    for (const line of written.flat()) expect(validateEmfLine(line)).toEqual([]);
    for (const l of lines) {
      expect(l._aws.CloudWatchMetrics).toEqual([expect.objectContaining({ Namespace: 'StkTest', Dimensions: [['table', 'index', 'pattern', 'operation']] })]);
      expect(l.table).toBe(f.tableName);
    }
    expect(metrics.pending).toBe(0);
  });

  it('carries the pattern, index and operation as dimensions, and units, latency and counts as metrics', () => {
    const by = (pattern: string) => lines.filter((l) => l.pattern === pattern);
    const [create] = by('createUser');
    expect(create).toMatchObject({ operation: 'TransactWriteItems', index: 'table', ReadCapacityUnits: 0 });
    expect(create!.WriteCapacityUnits).toBeGreaterThan(0);
    expect(create!.ItemsReturned).toBeUndefined();
    expect(by('getUserById')[0]).toMatchObject({ operation: 'GetItem', index: 'table', ReadCapacityUnits: 0.5, WriteCapacityUnits: 0, ItemsReturned: 1 });
    expect(by('getUserByEmail')[0]).toMatchObject({ operation: 'Query', index: 'gsi2', ReadCapacityUnits: 0.5, ItemsReturned: 1, ItemsScanned: 1 });
    expect(by('listUsersByStatus').map((l) => l.index)).toEqual(['gsi3', 'gsi3', 'gsi3', 'gsi3']);
    const names = (l: Line) => l._aws.CloudWatchMetrics[0]!.Metrics;
    expect(names(by('getUserByEmail')[0]!)).toEqual([
      { Name: 'Latency', Unit: 'Milliseconds' },
      { Name: 'ReadCapacityUnits', Unit: 'Count' },
      { Name: 'WriteCapacityUnits', Unit: 'Count' },
      { Name: 'ItemsReturned', Unit: 'Count' },
      { Name: 'ItemsScanned', Unit: 'Count' },
    ]);
    for (const l of lines) {
      expect(l.Latency).toBeGreaterThan(0);
      expect(Math.abs(l._aws.Timestamp - Date.now())).toBeLessThan(600_000);
    }
  });

  it('stops when detached', async () => {
    const other = new EmfMetrics({ mode: 'per-request', write: () => undefined, flushOnExit: false });
    const g = await createModelFixture('emf-detach', { metrics: other });
    await g.services.getUserById('01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(other.pending).toBe(1);
    other.detach();
    expect(other.pending).toBe(0);
    await g.services.getUserById('01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(other.pending).toBe(0);
    await g.close();
  });

  it('never fails the request it measures: a failing automatic flush becomes a warning', async () => {
    const failing = new EmfMetrics({ mode: 'per-request', write: () => { throw new Error('disk full'); }, maxBatch: 1, flushOnExit: false });
    const g = await createModelFixture('emf-failing', { metrics: failing });
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await expect(g.services.getUserById('01ARZ3NDEKTSV4RRFFQ69G5FAV')).resolves.toBeNull();
      expect(emitWarning).toHaveBeenCalledWith('EmfMetrics dropped 1 lines: disk full', 'EmfMetricsWarning');
      expect(failing.pending).toBe(0);
    } finally {
      emitWarning.mockRestore();
      failing.detach();
      await g.close();
    }
  });
});

describe('batching', () => {
  const request: RecordedRequest = {
    operation: 'GetItem', tables: ['t'], index: undefined, keyCondition: undefined, filter: undefined, partitions: [], itemKeys: [],
    consistentRead: false, limit: undefined, pattern: 'getThing', consumedCapacity: [], readUnits: 0.5, writeUnits: 0,
    itemCount: 1, scannedCount: undefined, durationMs: 2.5, error: undefined, startedAt: 1_700_000_000_000,
  };

  it('flushes automatically every maxBatch lines, and on demand; an empty flush writes nothing', () => {
    const batches: number[] = [];
    const m = new EmfMetrics({ mode: 'per-request', write: (lines) => batches.push(lines.length), maxBatch: 3, flushOnExit: false });
    for (let i = 0; i < 7; i += 1) m.record(request);
    expect(batches).toEqual([3, 3]);
    expect(m.pending).toBe(1);
    m.flush();
    m.flush();
    expect(batches).toEqual([3, 3, 1]);
  });

  it('flushes at exit by default, and stops listening once detached', () => {
    const before = process.listenerCount('exit');
    const m = new EmfMetrics({ mode: 'per-request', write: () => undefined });
    expect(process.listenerCount('exit')).toBe(before + 1);
    m.detach();
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('keeps every dimension a non-empty string, whatever the request lacks', () => {
    const line = emfLine({ ...request, tables: [], index: '', pattern: '', operation: '' }, 'Ns');
    expect(validateEmfLine(line)).toEqual([]);
    expect(JSON.parse(line)).toMatchObject({ table: 'unknown', index: 'table', pattern: 'none', operation: 'Unknown' });
  });

  it('an explicit flush reports a failing write to its caller', () => {
    const m = new EmfMetrics({ mode: 'per-request', write: () => { throw new Error('closed'); }, flushOnExit: false });
    m.record(request);
    expect(() => m.flush()).toThrow('closed');
  });

  it('reports a failed request with its error and no counts', () => {
    const line = emfLine({ ...request, itemCount: undefined, error: 'ThrottlingException', pattern: undefined }, 'Ns');
    expect(validateEmfLine(line)).toEqual([]);
    expect(JSON.parse(line)).toMatchObject({ error: 'ThrottlingException', pattern: 'none', index: 'table' });
  });
});

describe('validateEmfLine rejects lines that break the EMF specification', () => {
  const good = {
    _aws: { Timestamp: 1_700_000_000_000, CloudWatchMetrics: [{ Namespace: 'N', Dimensions: [['op']], Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }] }] },
    op: 'GetItem',
    Latency: 3,
  };
  const edit = (fn: (l: typeof good & Record<string, unknown>) => void) => {
    const copy = structuredClone(good) as typeof good & Record<string, unknown>;
    fn(copy);
    return JSON.stringify(copy);
  };

  it('accepts a valid line', () => {
    expect(validateEmfLine(JSON.stringify(good))).toEqual([]);
  });

  it.each([
    ['not JSON', '{', /JSON/],
    ['no _aws', JSON.stringify({ op: 'x', Latency: 1 }), /_aws: required/],
    ['a fractional Timestamp', edit((l) => (l._aws.Timestamp = 1.5)), /Timestamp/],
    ['no CloudWatchMetrics', edit((l) => delete (l._aws as Partial<typeof l._aws>).CloudWatchMetrics), /CloudWatchMetrics/],
    ['an empty Namespace', edit((l) => (l._aws.CloudWatchMetrics[0]!.Namespace = '')), /Namespace/],
    ['a metric without its member', edit((l) => delete (l as Partial<typeof l>).Latency), /metric Latency: the root member is missing/],
    ['a metric that is not a number', edit((l) => ((l as Record<string, unknown>).Latency = 'fast')), /number/],
    ['a dimension value that is not a string', edit((l) => ((l as Record<string, unknown>).op = 7)), /dimension op/],
    ['a dimension without its member', edit((l) => l._aws.CloudWatchMetrics[0]!.Dimensions[0]!.push('missing')), /dimension missing/],
    ['more than 30 dimensions', edit((l) => {
      const names = Array.from({ length: 31 }, (_, i) => `d${i}`);
      for (const n of names) l[n] = 'v';
      l._aws.CloudWatchMetrics[0]!.Dimensions = [names];
    }), /more than 30 dimensions/],
    ['an unknown unit', edit((l) => (l._aws.CloudWatchMetrics[0]!.Metrics[0]!.Unit = 'Millis')), /not a CloudWatch unit/],
    ['a bad storage resolution', edit((l) => Object.assign(l._aws.CloudWatchMetrics[0]!.Metrics[0]!, { StorageResolution: 5 })), /StorageResolution/],
  ])('%s', (_name, line, message) => {
    const errors = validateEmfLine(line);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  });
});
