import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The reference validators (EPUBCheck 5 and veraPDF, from Maven Central: scripts/install-validators.sh)
 * run once for the whole test run, each in one JVM, warm after its first check. Test files in any
 * worker reach them through a small HTTP server on the loopback address.
 */
const VALIDATORS = path.resolve('.cache/validators');

/** A JVM that answers one line per request line, one request at a time. */
class LineService {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(classPath: string, source: string, readyLine: string) {
    // C1 alone (no C2): EPUBCheck's first check took 5.6 s instead of 8.1 s and the later ones about
    // half the time, veraPDF's first 2.3 s instead of 4.2 s, for half the CPU (the JVMs share 2 cores with the tests).
    this.#child = spawn('java', ['-XX:TieredStopAtLevel=1', '-Xss4m', '-cp', classPath, source], { stdio: 'pipe' });
    this.#child.stderr.resume();
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
    this.#queue = this.#answer((line) => line.startsWith(readyLine));
  }

  request(line: string, isAnswer: (line: string) => boolean): Promise<string> {
    const answered = this.#queue.then(() => {
      this.#child.stdin.write(`${line}\n`);
      return this.#answer(isAnswer);
    });
    this.#queue = answered.catch(() => undefined);
    return answered;
  }

  /** The next line that is an answer; the validator's own chatter on stdout is skipped. */
  async #answer(isAnswer: (line: string) => boolean): Promise<string> {
    for (;;) {
      const next = await this.#lines.next();
      if (next.done) throw new Error('the validator ended');
      if (isAnswer(next.value)) return next.value;
    }
  }

  close(): void {
    this.#child.stdin.end();
    this.#child.kill();
  }
}

export interface Validators {
  url: string;
  close(): Promise<void>;
}

export async function startValidators(): Promise<Validators> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'galley-validator-reports-'));
  const here = path.dirname(new URL(import.meta.url).pathname);
  const epubcheck = new LineService(`${VALIDATORS}/epubcheck/*`, path.join(here, 'EpubcheckService.java'), 'ready');
  const verapdf = new LineService(`${VALIDATORS}/verapdf/*`, path.join(here, 'VerapdfService.java'), '{"ready"');
  let count = 0;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const file = url.searchParams.get('file') ?? '';
    const answer = async (): Promise<string> => {
      if (url.pathname === '/verapdf')
        return verapdf.request(`${url.searchParams.get('flavour')}\t${file}`, (line) => line.startsWith('{'));
      count += 1;
      const report = path.join(reports, `report-${count}.json`);
      const done = await epubcheck.request(`${file}\t${report}`, (line) => line.startsWith('done\t'));
      return JSON.stringify({ exitCode: Number(done.split('\t')[1]), report: JSON.parse(await readFile(report, 'utf8')) });
    };
    answer().then(
      (body) => response.writeHead(200, { 'content-type': 'application/json' }).end(body),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      epubcheck.close();
      verapdf.close();
      await new Promise((resolve) => server.close(resolve));
      await rm(reports, { recursive: true, force: true });
    },
  };
}
