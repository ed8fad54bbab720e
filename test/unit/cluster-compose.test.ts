import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

/**
 * docker-compose.cluster.yml (README "Running a cluster") cannot be started here (no Docker engine), so its
 * structure is checked: every replica gets the same settings, which the server's own configuration parser
 * accepts, and which name the engines and credentials the file starts. Where `docker-compose` is installed,
 * it must accept the file too.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const FILE = path.join(ROOT, 'docker-compose.cluster.yml');

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  ports?: string[];
  volumes?: string[];
  networks?: string[] | Record<string, { ipv4_address?: string }>;
  entrypoint?: string[];
}

/** Compose's `${NAME:-default}` with nothing set in the environment: the default (and `$$` is a `$`). */
function interpolated(value: unknown): string {
  return String(value)
    .replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')
    .replace(/\$\$/g, '$');
}

const compose = parse(readFileSync(FILE, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  networks: Record<string, { ipam: { config: { subnet: string }[] } }>;
};
const services = compose.services;
const environment = (name: string) =>
  Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, interpolated(v)]));

describe('the cluster compose file', () => {
  it('runs two replicas behind a load balancer on PostgreSQL, Redis and MinIO, with the bucket created first', () => {
    expect(Object.keys(services).sort()).toEqual(['lb', 'minio', 'minio-init', 'postgres', 'redis', 'server-1', 'server-2']);
    for (const replica of ['server-1', 'server-2']) {
      expect(services[replica].build).toBe('.');
      expect(services[replica].ports, `${replica} is reached through the load balancer only`).toBeUndefined();
      expect(services[replica].depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        'minio-init': { condition: 'service_completed_successfully' },
      });
    }
    expect(services['minio-init'].depends_on).toEqual({ minio: { condition: 'service_healthy' } });
    expect(services.lb.depends_on).toEqual(['server-1', 'server-2']);
  });

  it('gives every replica the same settings, which the server accepts and which name the engines of the file', () => {
    const settings = environment('server-1');
    expect(environment('server-2')).toEqual(settings);
    const config = loadConfig(settings);

    const database = new URL(config.databaseUrl as string);
    const postgres = environment('postgres');
    expect([database.hostname, database.port, database.username, database.password, database.pathname]).toEqual([
      'postgres',
      '5432',
      postgres.POSTGRES_USER,
      postgres.POSTGRES_PASSWORD,
      `/${postgres.POSTGRES_DB}`,
    ]);
    expect(new URL(config.redisUrl as string).host).toBe('redis:6379');

    const minio = environment('minio');
    expect(config.s3).toEqual({
      bucket: 'contentful-files',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      accessKeyId: minio.MINIO_ROOT_USER,
      secretAccessKey: minio.MINIO_ROOT_PASSWORD,
      forcePathStyle: true,
    });
    const init = environment('minio-init');
    const script = interpolated(services['minio-init'].entrypoint?.at(-1));
    expect(script).toContain('mc alias set cluster http://minio:9000 "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY"');
    expect(script).toContain(`mc mb --ignore-existing cluster/${config.s3?.bucket}`);
    expect([init.S3_ACCESS_KEY_ID, init.S3_SECRET_ACCESS_KEY]).toEqual([minio.MINIO_ROOT_USER, minio.MINIO_ROOT_PASSWORD]);

    // Secrets every replica must share, and the metrics token.
    expect(config.secretKey).toBeDefined();
    expect(config.bootstrapAdminToken).toBeDefined();
    expect(config.metricsToken).toBeDefined();

    // Clients see the load balancer; the replicas trust its address (and only its) for X-Forwarded-For.
    const lb = services.lb;
    expect(lb.ports).toEqual(['8080:80']);
    expect(config.publicUrl).toBe('http://localhost:8080');
    const lbAddress = (lb.networks as Record<string, { ipv4_address: string }>).cluster.ipv4_address;
    expect(config.trustProxy).toBe(lbAddress);
    expect(compose.networks.cluster.ipam.config[0].subnet).toBe('172.28.0.0/16');
    expect(lbAddress.startsWith('172.28.')).toBe(true);
    expect(config.port).toBe(8080);
  });

  it("points the load balancer's configuration at both replicas", () => {
    const mount = services.lb.volumes?.find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro'));
    const caddyfile = path.resolve(ROOT, (mount as string).split(':')[0]);
    expect(existsSync(caddyfile)).toBe(true);
    const text = readFileSync(caddyfile, 'utf8');
    expect(text).toMatch(/^\s*reverse_proxy server-1:8080 server-2:8080 \{$/m);
    expect(text).toMatch(/^\s*health_uri \/readyz$/m);
  });

  it('is accepted by docker-compose where it is installed', () => {
    // The checks above run everywhere; this one needs the tool (apt-get install docker-compose), and a
    // machine without it has nothing more to check. Only PATH is passed: the file's defaults are checked.
    if (!installed('docker-compose')) return;
    const resolved = parse(
      execFileSync('docker-compose', ['-f', FILE, 'config'], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH } }),
    ) as typeof compose;
    expect(resolved.services['server-2'].environment).toEqual(environment('server-1'));
  });
});

function installed(command: string): boolean {
  try {
    execFileSync(command, ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
