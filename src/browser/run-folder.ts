import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Run by /bin/sh with the run folder as $1. It ignores the signals a terminal sends its whole job
 * (Ctrl-C, a closed terminal) and reads the pid of each Chrome launched, until galley says it is
 * done or dies. Then it kills those process groups (a pid now held by a process that is not ours
 * is skipped) and removes the folder. Nothing but a shell builtin runs until then. With no pid yet,
 * a Chrome may be starting: it ends on its own when its pipe closes, within the second waited.
 */
const REAPER_SCRIPT = `trap '' INT TERM HUP
pids=
while read -r pid; do
  [ "$pid" = done ] && exit 0
  pids="$pids $pid"
done
[ -n "$pids" ] || sleep 1
for pid in $pids; do
  if [ -r "/proc/$pid/cmdline" ] && ! grep -qF -- "$1" "/proc/$pid/cmdline"; then continue; fi
  kill -s KILL -- "-$pid" 2>/dev/null
done
[ ! -e "$1" ] || rm -rf -- "$1"`;

const REAPER_GRACE_MS = 1_000;

/**
 * Chrome makes its singleton socket in TMPDIR, and fails to start when that path is longer than a
 * socket's address may be (104 bytes on macOS, 108 on Linux).
 */
const CHROME_SOCKET = 'org.chromium.Chromium.XXXXXX/SingletonSocket';
const MAX_SOCKET_PATH = 100;

/**
 * The one temporary folder a run owns: each Chrome's profile, Chrome's own temporary folders
 * (org.chromium.Chromium.*: it is their TMPDIR) and the pages' work folders all live in it. `remove()`
 * deletes it once the browsers are gone; if galley is killed before that, a reaper process does.
 */
export class RunFolder {
  readonly #reaper: ChildProcess | undefined;

  private constructor(
    /** The folder itself: a path no other run shares, so it also marks this run's processes. */
    readonly path: string,
  ) {
    this.#reaper = startReaper(path);
  }

  /** A new `galley-run-*` folder in `parent` (the system's temp folder unless told), or in /tmp if Chrome could not work in that one. */
  static async create(parent = os.tmpdir()): Promise<RunFolder> {
    const tooLong = path.join(parent, 'galley-run-XXXXXX', CHROME_SOCKET).length > MAX_SOCKET_PATH;
    return new RunFolder(await mkdtemp(path.join(tooLong && process.platform !== 'win32' ? '/tmp' : parent, 'galley-run-')));
  }

  /** The TMPDIR given to Chrome: its own temporary folders go in it. */
  get tmp(): string {
    return this.path;
  }

  /** The --user-data-dir of the run's `launch`-th browser: a restarted browser never meets a crashed one's lock. */
  profile(launch: number): string {
    return path.join(this.path, `profile-${launch}`);
  }

  /** A new folder for one page's files. */
  pageDir(): Promise<string> {
    return mkdtemp(path.join(this.path, 'page-'));
  }

  /** Puts a launched browser's process group in the reaper's care. */
  adopt(pid: number): void {
    this.#reaper?.stdin?.write(`${pid}\n`);
  }

  /** Deletes the folder, then lets the reaper go, and waits for it to end: call it after the browsers are gone. */
  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true, maxRetries: 2 });
    const reaper = this.#reaper;
    if (!reaper || reaper.exitCode !== null || reaper.signalCode !== null) return;
    const ended = new Promise<void>((resolve) => {
      reaper.once('exit', () => resolve());
      setTimeout(resolve, REAPER_GRACE_MS).unref();
    });
    // Held while it ends, so that galley does not exit first and leave it behind for a moment.
    reaper.ref();
    reaper.stdin?.end('done\n');
    await ended;
    reaper.unref();
  }
}

function startReaper(folder: string): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  // In galley's process group, not detached: a signal to the whole job does not reach it (it
  // ignores them) before galley has cleaned up, and a kill of the job with SIGKILL takes it too.
  const reaper = spawn('/bin/sh', ['-c', REAPER_SCRIPT, 'galley-reaper', folder], { stdio: ['pipe', 'ignore', 'ignore'] });
  reaper.on('error', () => undefined);
  reaper.stdin.on('error', () => undefined);
  // Neither the reaper nor its pipe keeps galley running.
  reaper.unref();
  (reaper.stdin as unknown as { unref?: () => void }).unref?.();
  return reaper;
}
