import { tableLayoutOf, type TableLayout } from '../capacity/table-layout';
import { measurePatterns, type PatternMeasurement } from '../measurement/measure-patterns';
import type { Model } from '../model/define-model';
import { progressReporter } from '../progress/progress';
import { indexKeyFields, openModelSession, recorderOptionsFor, scanItems, type ModelSessionOptions } from './model-session';

export interface AnalysisOptions extends Pick<ModelSessionOptions, 'endpoint'> {
  /** Seed size, in the model's unit. */
  size: number;
  /** Calls measured per pattern. */
  iterations: number;
  /** No progress bars on stderr. */
  quiet?: boolean;
}

/** What reports are made from: per-pattern measurements and the table they ran on. */
export interface Analysis {
  model: string;
  measurements: PatternMeasurement[];
  /** Every item after the measured calls (a Scan: this is offline analysis, not an access pattern). */
  items: Record<string, unknown>[];
  indexes: { index: string; partitionKey: string }[];
  tableKeyFields: string[];
  /** The table's keys and each GSI's keys and projection, as the measured table had them. */
  layout: TableLayout;
}

/**
 * Seeds a model on a fresh table, measures every catalog pattern `iterations` times through its
 * runners, and snapshots the table: the input of capacity, cost and hot-partition reports.
 */
export async function runAnalysis(model: Model, options: AnalysisOptions): Promise<Analysis> {
  const session = await openModelSession(model, { endpoint: options.endpoint });
  const progress = progressReporter({ quiet: options.quiet });
  try {
    const seed = await model.seed(session.services, { size: options.size, onProgress: progress.onProgress });
    session.recorder.clear();
    // Units by DynamoDB's rules for the measured calls only: seeding needs no side reads.
    session.recorder.measureUnits(tableLayoutOf(session.definition));
    const names = model.catalog.map((p) => p.name);
    const measurements = await measurePatterns(names, model.runners(session.services, seed), session.recorder, {
      iterations: options.iterations,
      onProgress: (done, total) => progress.onProgress('measuring patterns', done, total),
    });
    progress.stop();
    session.recorder.detach();
    const items = await scanItems(session.client, session.tableName);
    return {
      model: model.name,
      measurements,
      items,
      indexes: indexKeyFields(session.definition),
      tableKeyFields: [...(recorderOptionsFor(session.definition).tableKeyFields ?? [])],
      layout: tableLayoutOf(session.definition),
    };
  } finally {
    progress.stop();
    await session.close();
  }
}
