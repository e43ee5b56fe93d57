import { SingleBar } from 'cli-progress';

export interface Progress {
  /** Sets how far along the current phase is. */
  update(done: number): void;
  /** Finishes the phase (prints a final line when not on a terminal). */
  stop(): void;
}

/**
 * A progress bar on stderr for long work (seeding, bulk loads, benchmarks): a live bar on a
 * terminal, a line at each quarter otherwise (CI logs), nothing when `quiet`.
 */
export function startProgress(label: string, total: number, options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || total <= 0) return { update: () => undefined, stop: () => undefined };
  if (!stream.isTTY) {
    let lastQuarter = 0;
    return {
      update(done) {
        const quarter = Math.floor((done / total) * 4);
        if (quarter > lastQuarter) {
          lastQuarter = quarter;
          stream.write(`${label}: ${done}/${total}\n`);
        }
      },
      stop() {
        if (lastQuarter < 4) stream.write(`${label}: ${total}/${total}\n`);
      },
    };
  }
  const bar = new SingleBar({ format: `${label.padEnd(24)} {bar} {value}/{total} {duration_formatted}`, stream, hideCursor: true, clearOnComplete: false });
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/**
 * A progress callback (what a model's seed reports to) that shows one bar per step on stderr;
 * call stop() when the work is done.
 */
export function progressReporter(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): { onProgress: (step: string, done: number, total: number) => void; stop(): void } {
  let current: { step: string; progress: Progress } | undefined;
  return {
    onProgress(step, done, total) {
      if (current?.step !== step) {
        current?.progress.stop();
        current = { step, progress: startProgress(step, total, options) };
      }
      current.progress.update(done);
    },
    stop() {
      current?.progress.stop();
      current = undefined;
    },
  };
}
