import { build, type BuildSummary } from '../../src/build.js';
import { isPublicAddress } from '../../src/net/guarded-fetch.js';
import type { BuildOptions } from '../../src/options.js';
import { lineReporter } from '../../src/report/lines.js';

/** The options `galley build` gets with no flags, for tests that call build() directly. */
export function defaultOptions(overrides: Partial<BuildOptions> = {}): BuildOptions {
  return {
    paths: ['content'],
    outDir: 'output',
    formats: ['pdf', 'epub'],
    templatesDir: undefined,
    browserPath: undefined,
    paper: undefined,
    splitLevel: undefined,
    timeoutMs: 60_000,
    maxDocumentBytes: 10 * 1024 * 1024,
    maxImageBytes: 50 * 1024 * 1024,
    maxPageMemoryBytes: 2048 * 1024 * 1024,
    allowRemote: false,
    remoteAccess: { maxBytes: 50 * 1024 * 1024, timeoutMs: 20_000, allowAddress: isPublicAddress },
    jobs: 2,
    force: false,
    archive: false,
    browserWs: undefined,
    verbose: false,
    ...overrides,
  };
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
