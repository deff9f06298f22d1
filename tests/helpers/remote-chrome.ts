import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A Chrome started as a browserless service or a Chrome container runs one: listening for DevTools on a local port. */
export interface RemoteChrome {
  process: ChildProcess;
  /** Its DevTools WebSocket address, as it printed it. */
  endpoint: string;
  profile: string;
}

/**
 * Starts `executable` with a DevTools port, in a process group of its own (Debian's
 * /usr/bin/chromium and /usr/bin/chromium-headless-shell are scripts that start the browser as
 * their child), its profile and temporary files in one folder.
 */
export async function startRemoteChrome(executable = '/usr/bin/chromium-headless-shell'): Promise<RemoteChrome> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'galley-remote-chrome-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--remote-debugging-port=0',
    '--remote-debugging-address=127.0.0.1',
    'about:blank',
  ];
  const chrome = spawn(executable, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: profile } });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = '';
    chrome.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    chrome.on('exit', () => reject(new Error(`${executable} exited:\n${output}`)));
  });
  return { process: chrome, endpoint, profile };
}

/** Kills the browser and its children, and waits until it has gone. */
export async function killRemoteChrome(chrome: RemoteChrome): Promise<void> {
  if (chrome.process.exitCode !== null || chrome.process.signalCode !== null) return;
  const exited = new Promise((resolve) => chrome.process.once('exit', resolve));
  process.kill(-chrome.process.pid!, 'SIGKILL');
  await exited;
}

export async function stopRemoteChrome(chrome: RemoteChrome): Promise<void> {
  await killRemoteChrome(chrome);
  await rm(chrome.profile, { recursive: true, force: true });
}
