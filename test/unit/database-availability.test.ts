import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/availability.js';
import { retryWhileDatabaseUnavailable } from '../../src/db/startup.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognizes a terminated backend, a refused or lost connection and a server that is starting', () => {
    expect(isDatabaseUnavailable(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('08006'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('55000', 'database "x" is not currently accepting connections'))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')]))).toBe(true);
  });

  it('leaves statement errors alone', () => {
    expect(isDatabaseUnavailable(pgError('23505', 'duplicate key'))).toBe(false);
    expect(isDatabaseUnavailable(pgError('55000', 'cannot refresh materialized view concurrently'))).toBe(false);
    expect(isDatabaseUnavailable(pgError('28P01', 'password authentication failed'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable('57P01')).toBe(false);
  });
});

describe('retryWhileDatabaseUnavailable', () => {
  const logger = pino({ level: 'silent' });
  /** A clock that moves only when the retry sleeps. */
  const fakeTime = () => {
    let now = 0;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    };
    return { sleeps, now: () => now, sleep };
  };

  it('tries again with a doubling delay until the step succeeds', async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await retryWhileDatabaseUnavailable(
      'migrate',
      async () => {
        if (++calls < 4) throw pgError('ECONNREFUSED');
        return 'done';
      },
      { timeoutMs: 60_000, logger, ...time },
    );
    expect(result).toBe('done');
    expect(time.sleeps).toEqual([250, 500, 1000]);
  });

  it('gives up with the last error once the time is over, and at once on other errors', async () => {
    const time = fakeTime();
    await expect(
      retryWhileDatabaseUnavailable('migrate', async () => Promise.reject(pgError('57P03', 'starting up')), {
        timeoutMs: 3_000,
        logger,
        ...time,
      }),
    ).rejects.toThrow('starting up');
    expect(time.sleeps).toEqual([250, 500, 1000, 1250]);
    const other = fakeTime();
    await expect(
      retryWhileDatabaseUnavailable('migrate', async () => Promise.reject(pgError('42P01', 'no such table')), {
        timeoutMs: 3_000,
        logger,
        ...other,
      }),
    ).rejects.toThrow('no such table');
    expect(other.sleeps).toEqual([]);
  });
});
