import { GalleyError } from '../errors.js';

const MEGABYTE = 1024 * 1024;

export const BROWSER_CLOSED = 'the browser was closed';
export const BROWSER_STOPPED = 'the browser stopped responding';

/** `activity`: what the page was doing, as in "printing" or "drawing the cover". */
export function pageCrashed(activity: string): GalleyError {
  return new GalleyError(`the page crashed while ${activity} (out of memory?)`);
}

export function memoryExceeded(limitBytes: number): GalleyError {
  return new GalleyError(`the page used more than ${Math.round(limitBytes / MEGABYTE)} MB of memory and was stopped`);
}

/**
 * puppeteer's errors, as a person can read them: a timeout or a closed connection says the browser
 * stopped responding; another protocol error says what Chrome refused. Anything else is kept.
 * (The class names are read, not compared: puppeteer is loaded only when a browser is needed, and
 * a bundle may rename its classes TimeoutError2 and the like.)
 */
export function browserError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof GalleyError) return error;
  const kind = error.name.replace(/\d+$/, '');
  if (kind === 'TimeoutError' || / timed out\b/.test(error.message)) return new GalleyError(BROWSER_STOPPED);
  if (kind === 'ConnectionClosedError' || kind === 'TargetCloseError') return new GalleyError(BROWSER_STOPPED);
  if (kind === 'ProtocolError')
    return new GalleyError(`the browser failed: ${error.message.replace(/^Protocol error \(([^)]*)\): /, '$1: ')}`);
  return error;
}

/** Why a browser could not be launched (`how`: "start the browser /usr/bin/chromium") or connected to. */
export function startError(error: unknown, how: string): GalleyError {
  if (error instanceof GalleyError) return error;
  const kind = error instanceof Error ? error.name.replace(/\d+$/, '') : '';
  // A failed WebSocket connection rejects with an ErrorEvent, not an Error.
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  const reason = kind === 'TargetCloseError' || kind === 'ConnectionClosedError' ? 'it quit as it started' : message.split('\n')[0];
  return new GalleyError(`could not ${how}: ${reason}`);
}
