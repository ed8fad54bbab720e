import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, ConfigError } from '../../src/config.js';
import { parsePaging } from '../../src/domain/collections.js';
import { ApiError, notFound } from '../../src/domain/errors.js';
import { assertResourceId, generateId, isValidResourceId } from '../../src/domain/ids.js';
import { parseBody } from '../../src/http/validation.js';
import { readVersionHeader } from '../../src/http/version.js';
import { redactUrl } from '../../src/logger.js';

describe('resource ids', () => {
  it('accepts the seed rule /^[a-zA-Z0-9-_.]{1,64}$/', () => {
    for (const id of ['a', 'my-entry_1.v2', 'A'.repeat(64), '0']) expect(isValidResourceId(id)).toBe(true);
    for (const id of ['', 'a'.repeat(65), 'with space', 'slash/no', 'ümlaut', 'semi;colon']) expect(isValidResourceId(id)).toBe(false);
  });

  it('generates 22 alphanumeric characters', () => {
    const ids = new Set(Array.from({ length: 200 }, generateId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[0-9A-Za-z]{22}$/);
  });

  it('refuses a bad id with BadRequest', () => {
    expect(() => assertResourceId('bad id', 'entry')).toThrowError(ApiError);
    try {
      assertResourceId('bad id', 'entry');
    } catch (err) {
      expect((err as ApiError).id).toBe('BadRequest');
      expect((err as ApiError).status).toBe(400);
    }
  });
});

describe('errors', () => {
  it('renders Contentful error bodies', () => {
    expect(notFound('Space', 'x').toBody('req1')).toEqual({
      sys: { type: 'Error', id: 'NotFound' },
      message: 'The resource could not be found.',
      details: { type: 'Space', id: 'x' },
      requestId: 'req1',
    });
    expect(new ApiError('VersionMismatch', 'Version mismatch').status).toBe(409);
    expect(new ApiError('RateLimitExceeded', 'slow down').status).toBe(429);
    expect(new ApiError('ValidationFailed', 'bad').status).toBe(422);
  });

  it('maps body validation to 422 details.errors and non-objects to 400', () => {
    const schema = z.object({ name: z.string(), count: z.number().int().optional() });
    try {
      parseBody(schema, { count: 'x' });
      expect.unreachable();
    } catch (err) {
      const e = err as ApiError;
      expect(e.id).toBe('ValidationFailed');
      expect(e.details?.errors).toEqual([
        expect.objectContaining({ name: 'required', path: ['name'] }),
        expect.objectContaining({ name: 'type', path: ['count'], value: 'x' }),
      ]);
    }
    expect(() => parseBody(schema, [1])).toThrowError(/JSON object/);
    expect(() => parseBody(schema, undefined)).toThrowError(/JSON object/);
  });
});

describe('collections and versions', () => {
  it('parses skip and limit with bounds', () => {
    expect(parsePaging({})).toEqual({ skip: 0, limit: 100 });
    expect(parsePaging({ skip: '20', limit: '1000' })).toEqual({ skip: 20, limit: 1000 });
    for (const bad of [{ limit: '1001' }, { limit: '-1' }, { skip: '-5' }, { skip: 'abc' }, { limit: '1.5' }]) {
      expect(() => parsePaging(bad)).toThrowError(ApiError);
    }
  });

  it('reads X-Contentful-Version as a non-negative integer', () => {
    expect(readVersionHeader({})).toBeUndefined();
    expect(readVersionHeader({ 'x-contentful-version': '3' })).toBe(3);
    expect(readVersionHeader({ 'x-contentful-version': '0' })).toBe(0);
    for (const bad of ['abc', '-1', '1.5', '']) expect(() => readVersionHeader({ 'x-contentful-version': bad })).toThrowError(ApiError);
  });
});

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.rateLimits).toEqual({ cmaPerSecond: 10, cmaPerHour: 36000, cdaPerSecond: 55 });
    expect(config.outboundAllowPrivateNetworks).toBe(false);
    expect(config.trustProxy).toBe(false);
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads private-network access from OUTBOUND_ALLOW_PRIVATE_NETWORKS, else from the old WEBHOOK_BLOCK_PRIVATE_NETWORKS', () => {
    expect(loadConfig({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' }).outboundAllowPrivateNetworks).toBe(true);
    expect(loadConfig({ WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'false' }).outboundAllowPrivateNetworks).toBe(true);
    expect(loadConfig({ WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'true' }).outboundAllowPrivateNetworks).toBe(false);
    expect(
      loadConfig({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'false', WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'false' }).outboundAllowPrivateNetworks,
    ).toBe(false);
  });

  it('reads TRUST_PROXY as a flag, a hop count or a list of proxies', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
  });

  it("bounds the heap's growth at 50% past what a full collection kept unless HEAP_GROWING_PERCENT says otherwise (0: V8's own)", () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(50);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '100' }).heapGrowingPercent).toBe(100);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '-1' })).toThrowError(/HEAP_GROWING_PERCENT/);
  });

  it('refuses invalid values clearly', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(ConfigError);
    expect(() => loadConfig({ RATE_LIMIT_CMA_PER_SECOND: '-1' })).toThrowError(/RATE_LIMIT_CMA_PER_SECOND/);
    expect(() => loadConfig({ TLS_CERT_FILE: '/x.pem' })).toThrowError(/together/);
  });

  it('redacts access tokens from logged URLs', () => {
    expect(redactUrl('/spaces?access_token=secret&limit=1')).toBe('/spaces?access_token=[redacted]&limit=1');
  });
});
