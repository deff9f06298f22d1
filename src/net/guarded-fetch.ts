import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { GalleyError } from '../errors.js';

/** Decides whether galley may connect to an address; by default only public unicast ones. */
export type AddressPolicy = (address: string, port: number) => boolean;

export interface RemoteAccess {
  maxBytes: number;
  timeoutMs: number;
  allowAddress: AddressPolicy;
}

const MAX_REDIRECTS = 5;

/** Loopback, private, link-local, unique-local, multicast and reserved addresses are all refused. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

export interface FetchedResource {
  body: Buffer;
  contentType: string | undefined;
}

/**
 * Fetches an http(s) URL for a document, checking every address it connects to (after DNS, so
 * a name that resolves to 127.0.0.1 is refused too), every redirect, the size and the time.
 */
export async function fetchGuarded(url: string, access: RemoteAccess): Promise<FetchedResource> {
  const signal = AbortSignal.timeout(access.timeoutMs);
  let current = parseUrl(url);
  for (let redirects = 0; ; redirects += 1) {
    const response = await request(current, access, signal);
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      if (redirects >= MAX_REDIRECTS) throw new GalleyError(`${url}: more than ${MAX_REDIRECTS} redirects`);
      current = parseUrl(location, current);
      continue;
    }
    if (response.statusCode !== 200) {
      response.resume();
      throw new GalleyError(`${url}: the server answered ${response.statusCode}`);
    }
    return { body: await readCapped(response, access.maxBytes, url), contentType: response.headers['content-type'] };
  }
}

function parseUrl(url: string, base?: URL): URL {
  try {
    return new URL(url, base);
  } catch {
    throw new GalleyError(`${url}: not a valid address`);
  }
}

function request(url: URL, access: RemoteAccess, signal: AbortSignal): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new GalleyError(`${url.href}: only http and https addresses can be fetched`));
  }
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(literal) && !access.allowAddress(literal, port)) {
    return Promise.reject(refused(url, literal));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.get(
      url,
      { lookup: guardedLookup(url, port, access.allowAddress), signal, headers: { 'user-agent': 'galley' } },
      resolve,
    );
    outgoing.on('error', (error: Error) => {
      if (error instanceof GalleyError) return reject(error);
      if (signal.aborted) return reject(new GalleyError(`${url.href}: no answer within ${access.timeoutMs / 1000} s`));
      reject(new GalleyError(`${url.href}: ${error.message}`));
    });
  });
}

function guardedLookup(url: URL, port: number, allowAddress: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const blocked = addresses.find((entry) => !allowAddress(entry.address, port));
      if (blocked) return callback(refused(url, blocked.address), '', 0);
      if (options.all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

function refused(url: URL, address: string): GalleyError {
  return new GalleyError(`${url.href}: refused, ${address} is a local or private address`);
}

async function readCapped(response: IncomingMessage, maxBytes: number, url: string): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  const tooLarge = () => new GalleyError(`${url}: larger than the limit of ${formatMegabytes(maxBytes)}`);
  if (declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of response) {
    received += (chunk as Buffer).length;
    if (received > maxBytes) {
      response.destroy();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
