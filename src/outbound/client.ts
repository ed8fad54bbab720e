import dns from 'node:dns/promises';
import net from 'node:net';
import { type Readable, Transform } from 'node:stream';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, type Dispatcher } from 'undici';

/**
 * Every request the server makes on a caller's behalf (asset processing, webhooks, any later fetcher)
 * goes through one OutboundClient, so that a user cannot make the server read its own network
 * (server-side request forgery): the cloud metadata service at 169.254.169.254, the database on
 * 127.0.0.1:5432, a neighbour on 10.0.0.0/8.
 *
 * The check sits in the connection itself: the host name is resolved once, inside the connector, every
 * resolved address is checked, and the socket connects to those very addresses (no second resolution, so
 * no DNS-rebinding window). IP-literal hosts, which never reach a resolver, are checked before connecting.
 * Redirects are followed by hand, each hop through the same connector and only to http(s) URLs.
 */

const ALLOW_HINT = '(set OUTBOUND_ALLOW_PRIVATE_NETWORKS=true to allow private networks)';
/** How many redirects one request follows at most. */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that carry the caller's credentials: not sent on to another origin by a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export type OutboundErrorKind =
  /** The target is refused by the address policy or is not an http(s) URL. */
  | 'refused'
  | 'invalidUrl'
  | 'tooManyRedirects'
  | 'timeout'
  | 'tooLarge'
  /** Resolution, connection or protocol failure: the receiver could not be reached or answered garbage. */
  | 'network';

/** Every failure of an outbound request; `kind` tells a refusal (never worth retrying) from a failure. */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  constructor(
    readonly kind: OutboundErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// ---------------------------------------------------------------------------------------------------
// Address policy

const RANGE_DESCRIPTIONS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  // ipaddr.js files 192.0.0/24, the documentation ranges, 198.18/15 (benchmarking), 240/4 and, for
  // IPv6, 2001::/23, 2001:db8::/32 and 3fff::/20 under "reserved".
  reserved: 'a reserved address',
  uniqueLocal: 'a unique-local address',
  rfc6052: 'a NAT64 address',
  rfc6145: 'an IPv4-translated address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
  benchmarking: 'a benchmarking address',
  deprecatedSiteLocal: 'a site-local address',
  discard: 'a discard-only address',
  ipv4Compatible: 'an IPv4-compatible address',
  notGlobalUnicast: 'an address outside the global unicast range (2000::/3)',
};

/** IPv4-compatible IPv6 addresses (`::a.b.c.d`, deprecated), which ipaddr.js calls "unicast". */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
/** IANA's global unicast space; ipaddr.js calls every unassigned IPv6 block outside it "unicast" too. */
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * The ipaddr.js range name of an address after unwrapping IPv4-mapped IPv6 (`::ffff:7f00:1` is
 * 127.0.0.1), with names of our own for IPv6 blocks ipaddr.js calls "unicast" that are not public.
 * Only "unicast" is a public address. Unparseable input is "invalid".
 */
export function addressRange(address: string): string {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return 'invalid';
  }
  const range = parsed.range();
  if (range !== 'unicast' || parsed.kind() === 'ipv4') return range;
  const v6 = parsed as ipaddr.IPv6;
  if (v6.match(IPV4_COMPATIBLE)) return 'ipv4Compatible';
  if (!v6.match(IPV6_GLOBAL_UNICAST)) return 'notGlobalUnicast';
  return 'unicast';
}

/** Why an address is refused ("a loopback address"), or undefined for a public unicast address. */
export function addressRefusal(address: string): string | undefined {
  const range = addressRange(address);
  if (range === 'unicast') return undefined;
  return RANGE_DESCRIPTIONS[range] ?? `a special-purpose address (${range})`;
}

export const isPublicAddress = (address: string): boolean => addressRefusal(address) === undefined;

/** `address` with its IPv4 form when it is IPv4-mapped: "::ffff:7f00:1 (127.0.0.1)". */
function shown(address: string): string {
  try {
    const processed = ipaddr.process(address).toString();
    return processed === address.toLowerCase() ? address : `${address} (${processed})`;
  } catch {
    return address;
  }
}

function sameAddress(a: string, b: string): boolean {
  try {
    return ipaddr.process(a).toNormalizedString() === ipaddr.process(b).toNormalizedString();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Client

export interface ResolvedAddress {
  address: string;
  /** 4 or 6 */
  family: number;
}

/** Resolves a host name to every address it has (like `dns.lookup(name, { all: true })`). */
export type OutboundLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundClientOptions {
  /** true: every address is allowed (self-hosted setups calling internal services). */
  allowPrivateNetworks: boolean;
  /** The resolver used inside the connector; `dns.lookup` by default. Tests inject names. */
  lookup?: OutboundLookup;
  /**
   * Exact address and port pairs let through the address policy, for a known internal service (and for
   * tests, which stand a local receiver in for a public host). Every other target is still checked.
   */
  allowTargets?: { address: string; port: number }[];
  /** Time limit for establishing one connection (TCP and TLS); the per-call limit bounds it too. */
  connectTimeoutMs?: number;
}

export interface OutboundRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** `manual` (default): a 3xx is the answer. `follow`: up to MAX_REDIRECTS hops, each one checked. */
  redirect?: 'manual' | 'follow';
  /** The whole request, redirects and reading the body included. */
  timeoutMs: number;
  /** The body stream errors once more bytes arrive; a larger Content-Length is refused at once. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  /** The URL that answered, after redirects. */
  url: string;
  /** The body; errors with an OutboundError (`tooLarge`, `timeout`, `network`). */
  body: Readable;
  /** The body as UTF-8 text, cut after `limit` bytes (the rest is not downloaded). */
  text(limit?: number): Promise<string>;
}

const defaultLookup: OutboundLookup = async (hostname) =>
  (await dns.lookup(hostname, { all: true })).map(({ address, family }) => ({ address, family }));

export class OutboundClient {
  private readonly agent: Agent;
  private readonly lookup: OutboundLookup;
  /** One connector per destination port: the checking lookup needs the port for `allowTargets`. */
  private readonly connectors = new Map<number, buildConnector.connector>();

  constructor(private readonly options: OutboundClientOptions) {
    this.lookup = options.lookup ?? defaultLookup;
    this.agent = new Agent({ connect: (connectOptions, callback) => this.connect(connectOptions, callback) });
  }

  /**
   * The refusal message for connecting to `address` on `port`, or undefined when it is allowed.
   * `host` is the name that resolved to it, if any.
   */
  refusal(address: string, port: number, host?: string): string | undefined {
    if (this.options.allowPrivateNetworks) return undefined;
    if (this.options.allowTargets?.some((t) => t.port === port && sameAddress(t.address, address))) return undefined;
    const reason = addressRefusal(address);
    if (reason === undefined) return undefined;
    const subject = host && host !== address ? `${host} resolves to ${shown(address)},` : `${shown(address)} is`;
    return `Refused: ${subject} ${reason} ${ALLOW_HINT}`;
  }

  async request(target: string | URL, options: OutboundRequestOptions): Promise<OutboundResponse> {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    const first = parseHttpUrl(target);
    /** `from`: the URL whose redirect led here. */
    const fail = (err: unknown, url: URL, from: URL | undefined): OutboundError => {
      const via = from ? ` (redirected from ${from.href})` : '';
      if (err instanceof OutboundError)
        return from && (err.kind === 'refused' || err.kind === 'invalidUrl')
          ? new OutboundError(err.kind, `${err.message}${via}`, { cause: err })
          : err;
      if (deadline.aborted)
        return new OutboundError('timeout', `Timed out after ${options.timeoutMs} ms fetching ${url.href}${via}`, { cause: err });
      if (signal.aborted) return new OutboundError('network', `Fetching ${url.href} was cancelled`, { cause: err });
      return new OutboundError('network', `Could not fetch ${url.href}${via}: ${messageOf(err)}`, { cause: err });
    };

    let url = first;
    let from: URL | undefined;
    let method = (options.method ?? 'GET').toUpperCase();
    let body = options.body;
    let headers = { ...options.headers };
    for (let hop = 0; ; hop++) {
      let response: Dispatcher.ResponseData;
      try {
        response = await this.agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: method as Dispatcher.HttpMethod,
          headers: withUrlCredentials(headers, url),
          body: method === 'GET' || method === 'HEAD' ? undefined : body,
          signal,
        });
      } catch (err) {
        throw fail(err, url, from);
      }
      const location = response.headers.location;
      if (options.redirect === 'follow' && REDIRECT_STATUSES.has(response.statusCode) && typeof location === 'string') {
        discard(response.body);
        if (hop >= MAX_REDIRECTS)
          throw new OutboundError('tooManyRedirects', `Fetching ${first.href} was redirected more than ${MAX_REDIRECTS} times`);
        let next: URL;
        try {
          next = parseHttpUrl(location, url);
        } catch (err) {
          throw fail(err, url, url);
        }
        if (next.origin !== url.origin) headers = withoutCredentials(headers);
        if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
        }
        from = url;
        url = next;
        continue;
      }
      const length = Number(response.headers['content-length']);
      if (options.maxResponseBytes !== undefined && Number.isFinite(length) && length > options.maxResponseBytes) {
        discard(response.body);
        throw tooLarge(url, options.maxResponseBytes);
      }
      const limited = limitBody(response.body, options.maxResponseBytes, url, (err) => fail(err, url, from));
      return {
        status: response.statusCode,
        headers: toHeaders(response.headers),
        url: url.href,
        body: limited,
        text: (limit) => readText(limited, limit),
      };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private connect(connectOptions: buildConnector.Options, callback: buildConnector.Callback): void {
    const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
    // net.connect never hands an IP literal to `lookup`: check it here.
    if (net.isIP(connectOptions.hostname)) {
      const refusal = this.refusal(connectOptions.hostname, port);
      if (refusal) {
        callback(new OutboundError('refused', refusal), null);
        return;
      }
    }
    let connector = this.connectors.get(port);
    if (!connector) {
      connector = buildConnector({ lookup: this.checkingLookup(port), timeout: this.options.connectTimeoutMs ?? 10_000 });
      this.connectors.set(port, connector);
    }
    connector(connectOptions, callback);
  }

  /** net.connect's `lookup`: one resolution, every address checked, the socket connects to those. */
  private checkingLookup(port: number): net.LookupFunction {
    return (hostname, lookupOptions, callback) => {
      this.lookup(hostname)
        .then((addresses) => {
          if (addresses.length === 0) throw new OutboundError('network', `${hostname} has no addresses`);
          for (const { address } of addresses) {
            const refusal = this.refusal(address, port, hostname);
            if (refusal) throw new OutboundError('refused', refusal);
          }
          if (lookupOptions.all) {
            callback(null, addresses);
            return;
          }
          const family = lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family;
          const chosen = (family ? addresses.find((a) => a.family === family) : undefined) ?? addresses[0];
          callback(null, chosen.address, chosen.family);
        })
        .catch((err: NodeJS.ErrnoException) => callback(err, ''));
    };
  }
}

/** Drops a body that will not be read (destroying it reports an abort nobody listens for). */
function discard(body: Readable): void {
  body.on('error', () => undefined).destroy();
}

function messageOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error && err.message === 'fetch failed' ? err.cause : err;
  return cause.message || (cause as NodeJS.ErrnoException).code || cause.name;
}

function parseHttpUrl(target: string | URL, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    throw new OutboundError('invalidUrl', `"${String(target)}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError('refused', `Refused: ${url.href} is not an http or https URL`);
  }
  return url;
}

/** `https://user:pass@host/` becomes Basic authorization (undici does not read URL credentials). */
function withUrlCredentials(headers: Record<string, string>, url: URL): Record<string, string> {
  if (!url.username && !url.password) return headers;
  if (Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) return headers;
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { ...headers, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.includes(k.toLowerCase())));
}

function toHeaders(raw: Dispatcher.ResponseData['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

const tooLarge = (url: URL, max: number) => new OutboundError('tooLarge', `The response from ${url.href} is larger than ${max} bytes`);

/** The body, erroring with an OutboundError past `max` bytes or when the source fails. */
function limitBody(source: Readable, max: number | undefined, url: URL, mapError: (err: unknown) => OutboundError): Readable {
  let seen = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (max !== undefined && seen > max) callback(tooLarge(url, max));
      else callback(null, chunk);
    },
  });
  source.on('error', (err) => limited.destroy(mapError(err)));
  // A consumer that stops reading (or an error here) ends the download.
  limited.on('close', () => source.destroy());
  source.pipe(limited);
  return limited;
}

async function readText(body: Readable, limit = Number.POSITIVE_INFINITY): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length >= limit) {
      chunks.push(chunk.subarray(0, limit - size));
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
