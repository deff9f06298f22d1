import { build, type BuildSummary } from '../../src/build.js';
import { lineReporter } from '../../src/report/lines.js';
import type { BuildOptions } from '../../src/settings/build-options.js';
import { defaultBuildOptions } from '../../src/settings/flags-schema.js';

/** The options `galley build` gets with no flags, for tests that call build() directly (two jobs, whatever the machine). */
export function defaultOptions(overrides: Partial<BuildOptions> = {}): BuildOptions {
  return { ...defaultBuildOptions(), jobs: 2, ...overrides };
}

/** Builds in-process, with the plain line reporter; the lines are what stderr would show. */
export async function buildWith(overrides: Partial<BuildOptions>, stop?: AbortSignal): Promise<{ summary: BuildSummary; lines: string[] }> {
  const lines: string[] = [];
  const summary = await build(
    defaultOptions(overrides),
    lineReporter((line) => lines.push(line)),
    stop,
  );
  return { summary, lines };
}
