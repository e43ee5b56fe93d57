import { analyzePartitions, PARTITION_LIMITS, runAnalysis, type Model, type PartitionLoad } from '../toolkit';
import { terminalText } from './terminal';
import { checkProfilePatterns } from './cost';
import { jsonOutput } from './json-output';
import { renderTable } from './render-table';

export interface PartitionsOptions {
  requestsPerSecond: Record<string, number>;
  size: number;
  iterations: number;
  json: boolean;
  top: number;
}

const n = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** `hot-partitions`: where a traffic profile's load lands on a model's seeded table. */
export async function runPartitions(model: Model, options: PartitionsOptions): Promise<number> {
  checkProfilePatterns(model, Object.keys(options.requestsPerSecond));
  const analysis = await runAnalysis(model, { size: options.size, iterations: options.iterations });
  const report = analyzePartitions({ ...analysis, requestsPerSecond: options.requestsPerSecond });
  if (options.json) {
    process.stdout.write(jsonOutput({ model: model.name, limits: PARTITION_LIMITS, hot: report.hot, partitions: report.partitions.slice(0, options.top) }));
    return 0;
  }
  const rows = (list: PartitionLoad[]) =>
    list.map((p) => [p.index, p.partition, p.items, pct(p.itemShare), n(p.readUnitsPerSecond), pct(p.readShare), n(p.writeUnitsPerSecond), pct(p.writeShare), `${(p.utilization * 100).toFixed(0)}%${p.hot ? ' HOT' : ''}`]);
  const head = ['Index', 'Partition key', 'Items', 'Item share', 'RCU/s', 'Read share', 'WCU/s', 'Write share', 'Of limit'];
  const align: ('left' | 'right')[] = ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'];
  process.stdout.write(`Model: ${terminalText(model.name)}\n${renderTable(head, rows(report.partitions.slice(0, options.top)), align)}\n`);
  process.stdout.write(
    report.hot.length === 0
      ? `No partition exceeds ${PARTITION_LIMITS.readUnitsPerSecond} RCU/s or ${PARTITION_LIMITS.writeUnitsPerSecond} WCU/s under this profile.\n`
      : `${report.hot.length} partition(s) would throttle (over ${PARTITION_LIMITS.readUnitsPerSecond} RCU/s or ${PARTITION_LIMITS.writeUnitsPerSecond} WCU/s): ${report.hot.map((p) => `${p.index} ${p.partition}`).join(', ')}\n`,
  );
  process.stdout.write(
    'Partitions keyed by one entity (a user, an order) carry the load of the sampled calls that hit them; in production that load spreads over every such entity.\n',
  );
  return report.hot.length === 0 ? 0 : 2;
}
