/**
 * A timeline of one run, for whoever wants to see where its time goes: with GALLEY_TRACE=1, each
 * step marks the time since the process started, and the run ends by printing the marks to stderr.
 */
const enabled = process.env.GALLEY_TRACE === '1';
const marks: { ms: number; step: string }[] = [];

/** Notes that `step` has just happened (nothing, unless tracing). */
export function mark(step: string): void {
  if (enabled) marks.push({ ms: performance.now(), step });
}

/** Times `work` as a step that starts now and ends when it settles. */
export async function traced<T>(step: string, work: Promise<T>): Promise<T> {
  if (!enabled) return work;
  const start = performance.now();
  try {
    return await work;
  } finally {
    marks.push({ ms: performance.now(), step: `${step} (${(performance.now() - start).toFixed(0)} ms)` });
  }
}

/** The timeline, a line per mark in the order of their times; empty unless tracing. */
export function timeline(): string[] {
  return [...marks].sort((a, b) => a.ms - b.ms).map(({ ms, step }) => `trace ${ms.toFixed(0).padStart(6)} ms  ${step}`);
}
