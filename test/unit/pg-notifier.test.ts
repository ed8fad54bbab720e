import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type ChangeKind, WriteNotices } from '../../src/cache/changes.js';
import { CHANGES_CHANNEL, type ListeningClient, PostgresChangeNotifier } from '../../src/cache/pg-notifier.js';
import { ManualClock } from '../helpers/clock.js';
import { waitFor } from '../helpers/wait.js';

/** A listening connection that answers at once and fails when told to, standing for a pg Client. */
class FakeClient extends EventEmitter implements ListeningClient {
  readonly statements: string[] = [];
  ended = false;

  constructor(private readonly refuse: boolean) {
    super();
  }

  async connect() {
    if (this.refuse) throw new Error('connection refused');
  }

  async query(text: string) {
    this.statements.push(text);
    return { rows: [{ pid: 4242 }] };
  }

  async end() {
    this.ended = true;
  }

  notify(payload: string) {
    this.emit('notification', { channel: CHANGES_CHANNEL, payload });
  }
}

function setUp(options: { refusals?: number } = {}) {
  const clock = new ManualClock();
  const notices = new WriteNotices();
  const forgotten: ChangeKind[] = [];
  notices.subscribe((kind) => forgotten.push(kind));
  const sent: { channel: string; payload: string }[] = [];
  const clients: FakeClient[] = [];
  let refusals = options.refusals ?? 0;
  const notifier = new PostgresChangeNotifier({
    openConnection: () => {
      const client = new FakeClient(refusals-- > 0);
      clients.push(client);
      return client;
    },
    send: async (channel, payload) => {
      sent.push({ channel, payload });
    },
    notices,
    logger: pino({ level: 'silent' }),
    clock,
  });
  const listening = (count: number) =>
    waitFor(
      `${count} listening connections`,
      () => clients.filter((c) => c.statements.includes(`listen ${CHANGES_CHANNEL}`)).length === count,
    );
  return { clock, notices, forgotten, sent, clients, notifier, listening };
}

describe('the PostgreSQL change notifier', () => {
  it("announces this process's writes after its own caches forgot them, those of one turn as one notice", async () => {
    const { notices, forgotten, sent, notifier } = setUp();
    notices.written('content');
    notices.written('settings');
    notices.written('content');
    expect(forgotten).toEqual(['content', 'settings', 'content']);
    expect(sent).toEqual([]);
    await notifier.pending();
    expect(sent).toHaveLength(1);
    expect(sent[0].channel).toBe(CHANGES_CHANNEL);
    expect(JSON.parse(sent[0].payload)).toEqual({ kind: 'settings', origin: expect.any(String), seq: 1 });
    expect(notifier.pending()).toBeUndefined();
    notices.written('content');
    await notifier.pending();
    expect(sent.map((s) => JSON.parse(s.payload).kind)).toEqual(['settings', 'content']);
  });

  it("forgets what another process's notice names, ignores its own notices, and forgets everything for an unreadable one", async () => {
    const { notices, forgotten, sent, clients, notifier, listening } = setUp();
    notifier.start();
    await listening(1);
    await waitFor('the hello', () => sent.length === 1);
    forgotten.length = 0;
    notices.written('content');
    await waitFor('the notice', () => sent.length === 2);
    forgotten.length = 0;

    clients[0].notify(sent[1].payload);
    expect(forgotten).toEqual([]);
    clients[0].notify(JSON.stringify({ kind: 'content', origin: 'another process', seq: 7 }));
    clients[0].notify(JSON.stringify({ kind: 'settings', origin: 'another process' }));
    clients[0].notify('not a notice');
    expect(forgotten).toEqual(['content', 'settings', 'settings']);
    // The numbered notice is acknowledged to its writer; one without a number (an older server) is not.
    await waitFor('the acknowledgement', () => sent.length === 3);
    const own = JSON.parse(sent[0].payload).origin;
    expect(sent.map((s) => JSON.parse(s.payload))).toEqual([
      { hello: true, origin: own },
      { kind: 'content', origin: own, seq: 1 },
      { ack: 7, to: 'another process', origin: own },
    ]);
    await notifier.stop();
  });

  it('listens again after the connection is lost, backing off while refused, and then forgets everything', async () => {
    const { clock, forgotten, clients, notifier, listening } = setUp();
    notifier.start();
    await listening(1);
    expect(forgotten).toEqual(['settings']);
    forgotten.length = 0;

    clients[0].emit('error', new Error('terminating connection due to administrator command'));
    clients[0].emit('end');
    expect(clients[0].ended).toBe(true);
    expect(clock.pending()).toEqual([100]);
    clock.advance(100);
    await listening(2);
    expect(forgotten).toEqual(['settings']);
    expect(clients).toHaveLength(2);
    await notifier.stop();
  });

  it('doubles the wait after each refused attempt up to 5 s, and starts over once listening', async () => {
    const { clock, forgotten, clients, notifier, listening } = setUp({ refusals: 8 });
    notifier.start();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      await waitFor(`attempt ${attempt} refused`, () => clock.pending().length === 1 && clients.length === attempt);
      waits.push(clock.pending()[0]);
      clock.advance(clock.pending()[0]);
    }
    expect(waits).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    await listening(1);
    expect(forgotten).toEqual(['settings']);
    clients[8].emit('end');
    expect(clock.pending()).toEqual([100]);
    await notifier.stop();
    expect(clock.pending()).toEqual([]);
  });

  it('stops listening without trying again, once what was announced has been sent', async () => {
    const { clock, notices, sent, clients, notifier, listening } = setUp();
    notifier.start();
    await listening(1);
    notices.written('settings');
    await notifier.stop();
    expect(sent.map((s) => Object.keys(JSON.parse(s.payload))[0])).toEqual(['hello', 'kind', 'bye']);
    expect(clients[0].ended).toBe(true);
    clients[0].emit('end');
    expect(clock.pending()).toEqual([]);
    expect(clients).toHaveLength(1);
  });

  it('answers a write once every other process it knows has acknowledged it', async () => {
    const { notices, sent, clients, notifier, listening } = setUp();
    notifier.start();
    await listening(1);
    await waitFor('the hello', () => sent.length === 1);
    const own = JSON.parse(sent[0].payload).origin;
    // Two processes make themselves known: one says hello (and is answered), one writes.
    clients[0].notify(JSON.stringify({ hello: true, origin: 'b' }));
    clients[0].notify(JSON.stringify({ kind: 'content', origin: 'c', seq: 1 }));
    await waitFor('the answer and the acknowledgement', () => sent.length === 3);

    notices.written('content');
    let answered = false;
    const pending = notifier.pending()!.then(() => {
      answered = true;
    });
    await waitFor('the notice', () => sent.length === 4);
    expect(JSON.parse(sent[3].payload)).toEqual({ kind: 'content', origin: own, seq: 1 });
    clients[0].notify(JSON.stringify({ ack: 1, to: own, origin: 'b' }));
    // An acknowledgement of another notice or to another writer counts for nothing.
    clients[0].notify(JSON.stringify({ ack: 2, to: own, origin: 'c' }));
    clients[0].notify(JSON.stringify({ ack: 1, to: 'b', origin: 'c' }));
    await Promise.resolve();
    expect(answered).toBe(false);
    clients[0].notify(JSON.stringify({ ack: 1, to: own, origin: 'c' }));
    await pending;
    expect(answered).toBe(true);
    await notifier.stop();
  });

  it('takes a process that does not acknowledge within a second as gone, and one that says bye at once', async () => {
    const { clock, notices, sent, clients, notifier, listening } = setUp();
    notifier.start();
    await listening(1);
    clients[0].notify(JSON.stringify({ present: true, origin: 'b' }));
    clients[0].notify(JSON.stringify({ present: true, origin: 'c' }));
    notices.written('settings');
    const first = notifier.pending()!;
    await waitFor('the notice', () => sent.some((s) => 'kind' in JSON.parse(s.payload)));
    clients[0].notify(JSON.stringify({ bye: true, origin: 'c' }));
    expect(clock.pending()).toContain(1000);
    clock.advance(1000);
    await first;
    // Neither is waited for any more: the next write is answered at once, its notice still sent.
    notices.written('content');
    expect(notifier.pending()).toBeUndefined();
    await waitFor('the next notice', () => sent.filter((s) => 'kind' in JSON.parse(s.payload)).length === 2);
    expect(clock.pending()).not.toContain(1000);
    await notifier.stop();
  });

  it('holds no answer while it listens and knows of no other process, yet sends every notice', async () => {
    const { notices, sent, clients, notifier, listening } = setUp();
    notifier.start();
    await listening(1);
    await waitFor('the hello', () => sent.length === 1);
    notices.written('content');
    expect(notifier.pending()).toBeUndefined();
    await waitFor('the notice', () => sent.length === 2);
    expect(JSON.parse(sent[1].payload)).toMatchObject({ kind: 'content', seq: 1 });
    // Once another process is heard of, answers wait for its acknowledgement again.
    clients[0].notify(JSON.stringify({ present: true, origin: 'b' }));
    notices.written('content');
    expect(notifier.pending()).toBeInstanceOf(Promise);
    await notifier.stop();
  });

  it('waits for no acknowledgement while its own connection cannot hear them', async () => {
    const { clock, notices, sent, clients, notifier, listening } = setUp();
    notifier.start();
    await listening(1);
    clients[0].notify(JSON.stringify({ present: true, origin: 'b' }));
    clients[0].emit('end');
    notices.written('content');
    await notifier.pending();
    expect(sent.filter((s) => 'kind' in JSON.parse(s.payload))).toHaveLength(1);
    expect(clock.pending()).toEqual([100]);
    await notifier.stop();
  });
});
