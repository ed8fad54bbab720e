import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addressRange,
  addressRefusal,
  isPublicAddress,
  MAX_REDIRECTS,
  OutboundClient,
  OutboundError,
  type OutboundErrorKind,
  type ResolvedAddress,
} from '../../src/outbound/client.js';

const HINT = '(set OUTBOUND_ALLOW_PRIVATE_NETWORKS=true to allow private networks)';

/** A local HTTP server that counts its connections and answers per path. */
async function startReceiver(handler: http.RequestListener) {
  const server = http.createServer(handler);
  const stats = { connections: 0, requests: [] as string[] };
  server.on('connection', () => stats.connections++);
  server.on('request', (req: http.IncomingMessage) => stats.requests.push(req.url ?? ''));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    stats,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A resolver over a fixed table that records each name it is asked for. */
function tableLookup(table: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, calls };
}

async function outboundError(promise: Promise<unknown>, kind: OutboundErrorKind): Promise<OutboundError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the request should fail').toBeInstanceOf(OutboundError);
  expect((err as OutboundError).kind, (err as Error).message).toBe(kind);
  return err as OutboundError;
}

describe('address policy', () => {
  // [address, the range name ipaddr.js (or our own check) gives it]
  const refused: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.255', 'carrierGradeNat'],
    // Benchmarking 198.18.0.0/15: ipaddr.js files it under "reserved" for IPv4.
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a00:5', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['64:ff9b::808:808', 'rfc6052'],
    ['64:ff9b:1::a00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['2002:808:808::1', '6to4'],
    ['2001::1', 'teredo'],
    ['2001:2::1', 'benchmarking'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:0:7f00:1', 'rfc6145'],
    // ipaddr.js calls these "unicast"; the policy's own checks name them.
    ['::7f00:1', 'ipv4Compatible'],
    ['::a00:5', 'ipv4Compatible'],
    ['::808:808', 'ipv4Compatible'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['100::1', 'discard'],
    ['4000::1', 'notGlobalUnicast'],
    ['e000::1', 'notGlobalUnicast'],
  ];
  for (const [address, range] of refused) {
    it(`refuses ${address} (${range})`, () => {
      expect(addressRange(address)).toBe(range);
      expect(isPublicAddress(address)).toBe(false);
      expect(addressRefusal(address)).toMatch(/^an? /);
    });
  }

  it('refuses IPv4-compatible forms written with a dotted quad', () => {
    expect(isPublicAddress('::127.0.0.1')).toBe(false);
    expect(isPublicAddress('::10.0.0.5')).toBe(false);
  });

  it('allows public unicast addresses', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '93.184.216.34',
      '172.32.0.1',
      '100.128.0.1',
      '198.20.0.1',
      '2606:4700:4700::1111',
      '2001:4860:4860::8888',
      '::ffff:8.8.8.8',
    ]) {
      expect(addressRange(address), address).toBe('unicast');
      expect(addressRefusal(address), address).toBeUndefined();
    }
  });

  it('refuses what is not an address', () => {
    expect(addressRange('not-an-ip')).toBe('invalid');
    expect(isPublicAddress('not-an-ip')).toBe(false);
  });

  it('words the refusal with the address, its range and the setting', () => {
    const client = new OutboundClient({ allowPrivateNetworks: false });
    expect(client.refusal('127.0.0.1', 80)).toBe(`Refused: 127.0.0.1 is a loopback address ${HINT}`);
    expect(client.refusal('::ffff:7f00:1', 80)).toBe(`Refused: ::ffff:7f00:1 (127.0.0.1) is a loopback address ${HINT}`);
    expect(client.refusal('10.0.0.5', 443, 'internal.example')).toBe(
      `Refused: internal.example resolves to 10.0.0.5, a private address ${HINT}`,
    );
    expect(client.refusal('8.8.8.8', 443, 'dns.google')).toBeUndefined();
  });

  it('allows every address with allowPrivateNetworks', () => {
    const client = new OutboundClient({ allowPrivateNetworks: true });
    for (const [address] of refused) expect(client.refusal(address, 80), address).toBeUndefined();
  });
});

describe('connections', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver((_req, res) => res.end('hello'));
  });
  afterAll(() => receiver.close());

  it('refuses IP-literal targets in every spelling without connecting', async () => {
    const client = new OutboundClient({ allowPrivateNetworks: false });
    const port = receiver.port;
    const urls = [
      `http://127.0.0.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://0.0.0.0:${port}/`,
      `http://[::]:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
      `http://[::7f00:1]:${port}/`,
      `http://[64:ff9b::a00:1]/`,
      `http://169.254.169.254/latest/meta-data/`,
      `https://10.0.0.5/`,
      `http://[fd00::1]/`,
    ];
    for (const url of urls) {
      const err = await outboundError(client.request(url, { timeoutMs: 2000 }), 'refused');
      expect(err.message, url).toMatch(/^Refused: .* is an? .*\(set OUTBOUND_ALLOW_PRIVATE_NETWORKS=true to allow private networks\)$/);
    }
    expect((await outboundError(client.request(`http://127.0.0.1:${port}/`, { timeoutMs: 2000 }), 'refused')).message).toBe(
      `Refused: 127.0.0.1 is a loopback address ${HINT}`,
    );
    expect(receiver.stats.connections).toBe(0);
    await client.close();
  });

  it('refuses a name that resolves to a private address, resolving it once', async () => {
    const { lookup, calls } = tableLookup({ 'internal.example': ['10.0.0.5'], 'mixed.example': ['93.184.216.34', '192.168.0.7'] });
    const client = new OutboundClient({ allowPrivateNetworks: false, lookup });
    const err = await outboundError(client.request('http://internal.example/admin', { timeoutMs: 2000 }), 'refused');
    expect(err.message).toBe(`Refused: internal.example resolves to 10.0.0.5, a private address ${HINT}`);
    expect(calls).toEqual(['internal.example']);
    // The TLS path resolves through the same check.
    await outboundError(client.request('https://internal.example/', { timeoutMs: 2000 }), 'refused');
    expect(calls).toEqual(['internal.example', 'internal.example']);
    // Every address of a name is checked, not only the first.
    expect((await outboundError(client.request('http://mixed.example/', { timeoutMs: 2000 }), 'refused')).message).toContain(
      '192.168.0.7, a private address',
    );
    // A name that does not resolve is a network failure, not a refusal.
    expect((await outboundError(client.request('http://nowhere.example/', { timeoutMs: 2000 }), 'network')).message).toContain('ENOTFOUND');
    await client.close();
  });

  it('refuses localhost as the system resolver answers it', async () => {
    const client = new OutboundClient({ allowPrivateNetworks: false });
    const err = await outboundError(client.request(`http://localhost:${receiver.port}/`, { timeoutMs: 2000 }), 'refused');
    expect(err.message).toMatch(/^Refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address /);
    expect(receiver.stats.connections).toBe(0);
    await client.close();
  });

  it('connects to the address it checked: one resolution per connection, no second lookup', async () => {
    // A rebinding resolver: the first answer is the allowed receiver, every later one the metadata service.
    let lookups = 0;
    const lookup = async (): Promise<ResolvedAddress[]> =>
      lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '169.254.169.254', family: 4 }];
    const client = new OutboundClient({
      allowPrivateNetworks: false,
      lookup,
      allowTargets: [{ address: '127.0.0.1', port: receiver.port }],
    });
    const before = receiver.stats.connections;
    const response = await client.request(`http://rebinding.example:${receiver.port}/once`, { timeoutMs: 2000 });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
    expect(lookups).toBe(1);
    expect(receiver.stats.connections - before).toBe(1);
    await client.close();
  });

  it('reaches private addresses with allowPrivateNetworks', async () => {
    const client = new OutboundClient({ allowPrivateNetworks: true });
    for (const host of ['127.0.0.1', 'localhost']) {
      const response = await client.request(`http://${host}:${receiver.port}/open`, { timeoutMs: 2000 });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('hello');
    }
    await client.close();
  });

  it('refuses URLs that are not http or https', async () => {
    const client = new OutboundClient({ allowPrivateNetworks: true });
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'data:text/plain,hi', 'gopher://127.0.0.1:6379/_INFO']) {
      expect((await outboundError(client.request(url, { timeoutMs: 2000 }), 'refused')).message).toBe(
        `Refused: ${new URL(url).href} is not an http or https URL`,
      );
    }
    await outboundError(client.request('not a url', { timeoutMs: 2000 }), 'invalidUrl');
    await client.close();
  });
});

describe('redirects', () => {
  let site: Awaited<ReturnType<typeof startReceiver>>;
  let internal: Awaited<ReturnType<typeof startReceiver>>;
  let client: OutboundClient;
  let calls: string[];
  const redirect = (res: http.ServerResponse, location: string, status = 302) => res.writeHead(status, { location }).end('moved');

  beforeAll(async () => {
    internal = await startReceiver((_req, res) => res.end('internal secret'));
    site = await startReceiver((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const hop = /^\/hop\/(\d+)$/.exec(url.pathname);
      if (hop) return Number(hop[1]) === 0 ? res.end('arrived') : redirect(res, `/hop/${Number(hop[1]) - 1}`);
      switch (url.pathname) {
        case '/to-metadata':
          return redirect(res, 'http://169.254.169.254/latest/meta-data');
        case '/to-internal':
          return redirect(res, `http://127.0.0.1:${internal.port}/secret`, 307);
        case '/to-internal-name':
          return redirect(res, `http://internal.example:${internal.port}/secret`, 301);
        case '/to-file':
          return redirect(res, 'file:///etc/passwd');
        case '/to-other-origin':
          return redirect(res, `http://other.example:${site.port}/auth`);
        case '/auth':
          return res.end(req.headers.authorization ?? 'none');
        default:
          return res.writeHead(404).end();
      }
    });
    // public.example and other.example stand for public hosts: both resolve to the local site, and only
    // that exact address and port is let through the policy. Every hop still goes through the checking
    // connector; the internal receiver, on another port of the same address, stays refused.
    const table = tableLookup({ 'public.example': ['127.0.0.1'], 'other.example': ['127.0.0.1'], 'internal.example': ['10.0.0.5'] });
    calls = table.calls;
    client = new OutboundClient({
      allowPrivateNetworks: false,
      lookup: table.lookup,
      allowTargets: [{ address: '127.0.0.1', port: site.port }],
    });
  });
  afterAll(async () => {
    await client.close();
    await site.close();
    await internal.close();
  });

  const origin = () => `http://public.example:${site.port}`;

  it('follows redirects on the allowed origin, at most five hops', async () => {
    const response = await client.request(`${origin()}/hop/${MAX_REDIRECTS}`, { timeoutMs: 5000, redirect: 'follow' });
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${origin()}/hop/0`);
    expect(await response.text()).toBe('arrived');
    const err = await outboundError(
      client.request(`${origin()}/hop/${MAX_REDIRECTS + 1}`, { timeoutMs: 5000, redirect: 'follow' }),
      'tooManyRedirects',
    );
    expect(err.message).toBe(`Fetching ${origin()}/hop/${MAX_REDIRECTS + 1} was redirected more than 5 times`);
  });

  it('refuses a redirect into the metadata service', async () => {
    const err = await outboundError(client.request(`${origin()}/to-metadata`, { timeoutMs: 5000, redirect: 'follow' }), 'refused');
    expect(err.message).toBe(`Refused: 169.254.169.254 is a link-local address ${HINT} (redirected from ${origin()}/to-metadata)`);
  });

  it('refuses a redirect to another port on loopback, or to a name resolving inside', async () => {
    const err = await outboundError(client.request(`${origin()}/to-internal`, { timeoutMs: 5000, redirect: 'follow' }), 'refused');
    expect(err.message).toBe(`Refused: 127.0.0.1 is a loopback address ${HINT} (redirected from ${origin()}/to-internal)`);
    const named = await outboundError(client.request(`${origin()}/to-internal-name`, { timeoutMs: 5000, redirect: 'follow' }), 'refused');
    expect(named.message).toContain('Refused: internal.example resolves to 10.0.0.5, a private address');
    expect(calls).toContain('internal.example');
    expect(internal.stats.connections).toBe(0);
    expect(site.stats.requests).toEqual(expect.arrayContaining(['/to-internal', '/to-internal-name']));
  });

  it('refuses a redirect to a file: URL', async () => {
    const err = await outboundError(client.request(`${origin()}/to-file`, { timeoutMs: 5000, redirect: 'follow' }), 'refused');
    expect(err.message).toBe(`Refused: file:///etc/passwd is not an http or https URL (redirected from ${origin()}/to-file)`);
  });

  it('answers the 3xx itself with redirect manual', async () => {
    const response = await client.request(`${origin()}/to-metadata`, { timeoutMs: 5000 });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://169.254.169.254/latest/meta-data');
    expect(await response.text()).toBe('moved');
  });

  it('does not carry credentials to another origin', async () => {
    const headers = { authorization: 'Bearer secret' };
    expect(await (await client.request(`${origin()}/auth`, { timeoutMs: 5000, headers })).text()).toBe('Bearer secret');
    const response = await client.request(`${origin()}/to-other-origin`, { timeoutMs: 5000, headers, redirect: 'follow' });
    expect(response.url).toBe(`http://other.example:${site.port}/auth`);
    expect(await response.text()).toBe('none');
  });
});

describe('limits', () => {
  let site: Awaited<ReturnType<typeof startReceiver>>;
  let client: OutboundClient;
  const big = Buffer.alloc(64 * 1024, 'x');

  beforeAll(async () => {
    site = await startReceiver((req, res) => {
      switch (req.url) {
        case '/big-chunked':
          res.writeHead(200);
          res.write(big.subarray(0, 1024));
          return res.end(big.subarray(1024));
        case '/big-declared':
          return res.writeHead(200, { 'content-length': String(big.length) }).end(big);
        case '/stall-headers':
          return; // never answers
        case '/stall-body':
          res.writeHead(200);
          return res.write('partial');
        default:
          return res.end(big);
      }
    });
    client = new OutboundClient({ allowPrivateNetworks: true });
  });
  afterAll(async () => {
    await client.close();
    await site.close();
  });

  const base = () => `http://127.0.0.1:${site.port}`;

  async function drain(response: { body: NodeJS.ReadableStream }) {
    let size = 0;
    for await (const chunk of response.body) size += (chunk as Buffer).length;
    return size;
  }

  it('passes a body within the size limit', async () => {
    const response = await client.request(`${base()}/ok`, { timeoutMs: 5000, maxResponseBytes: big.length });
    expect(await drain(response)).toBe(big.length);
  });

  it('refuses a declared Content-Length over the limit at once', async () => {
    const err = await outboundError(client.request(`${base()}/big-declared`, { timeoutMs: 5000, maxResponseBytes: 1000 }), 'tooLarge');
    expect(err.message).toBe(`The response from ${base()}/big-declared is larger than 1000 bytes`);
  });

  it('errors the body stream past the limit when the length is not declared', async () => {
    const response = await client.request(`${base()}/big-chunked`, { timeoutMs: 5000, maxResponseBytes: 1000 });
    expect(response.status).toBe(200);
    const err = await outboundError(drain(response), 'tooLarge');
    expect(err.message).toBe(`The response from ${base()}/big-chunked is larger than 1000 bytes`);
  });

  it('cuts text() after the given bytes', async () => {
    const response = await client.request(`${base()}/ok`, { timeoutMs: 5000 });
    expect(await response.text(10)).toBe('xxxxxxxxxx');
  });

  it('times out a receiver that never answers', async () => {
    const err = await outboundError(client.request(`${base()}/stall-headers`, { timeoutMs: 100 }), 'timeout');
    expect(err.message).toBe(`Timed out after 100 ms fetching ${base()}/stall-headers`);
  });

  it('times out a body that stops arriving', async () => {
    const response = await client.request(`${base()}/stall-body`, { timeoutMs: 150 });
    expect(response.status).toBe(200);
    const err = await outboundError(drain(response), 'timeout');
    expect(err.message).toBe(`Timed out after 150 ms fetching ${base()}/stall-body`);
  });
});
