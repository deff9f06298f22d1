import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteImageCache } from '../../src/net/remote-images.js';
import { PNG_1X1 } from '../helpers/fixtures.js';
import { recordingServer, type RecordingServer } from '../helpers/servers.js';

let server: RecordingServer;
let flakyAnswers = 0;

beforeAll(async () => {
  server = await recordingServer({
    '/flaky.png': (_request, response) => {
      flakyAnswers += 1;
      if (flakyAnswers === 1) return void response.writeHead(503).end();
      response.writeHead(200, { 'content-type': 'image/png' }).end(PNG_1X1);
    },
    '/dot.png': (_request, response) => void response.writeHead(200, { 'content-type': 'image/png' }).end(PNG_1X1),
  });
});
afterAll(() => server.close());

/** The guarded fetch refuses loopback addresses; these tests' server is on 127.0.0.1. */
function localCache(): RemoteImageCache {
  return new RemoteImageCache({ maxBytes: 1024 * 1024, timeoutMs: 5_000, allowAddress: (address) => address === '127.0.0.1' });
}

describe('RemoteImageCache', () => {
  it('downloads an image once, however often it is asked for', async () => {
    const cache = localCache();
    try {
      const [first, second] = await Promise.all([cache.download(`${server.url}/dot.png`), cache.download(`${server.url}/dot.png`)]);
      expect(second).toEqual(first);
      expect(await readFile(first.path)).toEqual(PNG_1X1);
      expect(server.requests.filter((request) => request === '/dot.png')).toHaveLength(1);
    } finally {
      await cache.dispose();
    }
  });

  it('forgets a download that failed, so that the next build tries again', async () => {
    const cache = localCache();
    try {
      await expect(cache.download(`${server.url}/flaky.png`)).rejects.toThrow(/the server answered 503/);
      const image = await cache.download(`${server.url}/flaky.png`);
      expect(await readFile(image.path)).toEqual(PNG_1X1);
      expect(flakyAnswers).toBe(2);
    } finally {
      await cache.dispose();
    }
  });
});
