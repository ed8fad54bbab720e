import net from 'node:net';
import type { Redis } from 'ioredis';

/** The Redis the tests share counters through; every test keeps its keys under a prefix of its own. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key under `prefix`. */
export async function deleteRedisKeys(redis: Redis, prefix: string) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

export interface RedisRelay {
  /** The relay's own `redis://` URL, to give a server as REDIS_URL. */
  url: string;
  /** Closes the listener and every connection: Redis is down for the server. */
  stop(): Promise<void>;
  /** Listens again on the same port: Redis is back. */
  start(): Promise<void>;
  /** Holds Redis's replies (the connection stays up): Redis stops answering. */
  holdReplies(): void;
  /** Passes the held replies on and the following ones again. */
  releaseReplies(): void;
}

/** A TCP relay in front of the test Redis, so a test can take Redis away, bring it back, or make it hang. */
export async function startRedisRelay(port: number): Promise<RedisRelay> {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<net.Socket>();
  let holding = false;
  const held: (() => void)[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => (holding ? held.push(() => client.write(chunk)) : client.write(chunk)));
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ]) {
      socket.on('close', () => {
        sockets.delete(socket);
        peer.destroy();
      });
      socket.on('error', () => peer.destroy());
    }
  });
  const start = () => new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    holdReplies: () => {
      holding = true;
    },
    releaseReplies: () => {
      holding = false;
      for (const send of held.splice(0)) send();
    },
  };
}
