import type { Redis } from 'ioredis';
import type { Clock } from '../domain/clock.js';
import { QUARTER_MS, type RateLimitDecision, type RateLimits } from './limiter.js';
import type { RateLimitStore } from './store.js';

/** How long a client's counters outlive its last request: by then its tokens are full and its quarters expired. */
const IDLE_MS = 60 * 60 * 1000;

/**
 * `consume()` of limiter.ts in Lua, so that one client's window is read and written atomically whichever
 * process counts the request. The same double arithmetic in the same order gives the same decisions: the
 * token count is kept with 17 significant digits (Lua's `tostring` keeps only 14) and every returned
 * number is an integer (Redis truncates Lua numbers to integers). Fields of the hash: `t` tokens, `r` the
 * last refill time, and one count per quarter-hour index. Without a time argument the script reads Redis's
 * clock, one clock for every process.
 */
const CONSUME_SCRIPT = `
local key = KEYS[1]
local perSecond = tonumber(ARGV[1])
local perHour = tonumber(ARGV[2])
local quarterMs = tonumber(ARGV[3])
local idleMs = tonumber(ARGV[4])
local now = tonumber(ARGV[5])
if now == nil then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local tokens = perSecond
local refilledAt = now
local quarters = {}
local names = {}
local fields = redis.call('HGETALL', key)
for i = 1, #fields, 2 do
  local name = fields[i]
  if name == 't' then tokens = tonumber(fields[i + 1])
  elseif name == 'r' then refilledAt = tonumber(fields[i + 1])
  else
    local q = tonumber(name)
    quarters[q] = tonumber(fields[i + 1])
    names[q] = name
  end
end

local secondOk = true
if perSecond > 0 then
  local elapsed = math.max(0, now - refilledAt) / 1000
  tokens = math.min(perSecond, tokens + elapsed * perSecond)
  refilledAt = now
  secondOk = tokens >= 1
end

local quarter = math.floor(now / quarterMs)
local hourUsed = 0
for q, count in pairs(quarters) do
  if q <= quarter - 4 then
    redis.call('HDEL', key, names[q])
    quarters[q] = nil
  else
    hourUsed = hourUsed + count
  end
end
local hourOk = perHour <= 0 or hourUsed < perHour

local allowed = 0
local reset = 0
if secondOk and hourOk then
  allowed = 1
  if perSecond > 0 then tokens = tokens - 1 end
  redis.call('HINCRBY', key, string.format('%d', quarter), 1)
  hourUsed = hourUsed + 1
elseif hourOk then
  reset = 1
else
  local remaining = hourUsed
  reset = math.ceil(((quarter + 4) * quarterMs - now) / 1000)
  for oldest = quarter - 3, quarter do
    remaining = remaining - (quarters[oldest] or 0)
    if remaining < perHour then
      reset = math.ceil(((oldest + 4) * quarterMs - now) / 1000)
      break
    end
  end
  reset = math.max(1, reset)
end

redis.call('HSET', key, 't', string.format('%.17g', tokens), 'r', string.format('%.17g', refilledAt))
redis.call('PEXPIRE', key, idleMs)

local secondRemaining = 0
if perSecond > 0 then secondRemaining = math.max(0, math.floor(tokens)) end
local hourRemaining = 0
if perHour > 0 then hourRemaining = math.max(0, perHour - hourUsed) end
return { allowed, reset, secondRemaining, hourRemaining }
`;

type ConsumeReply = [allowed: number, reset: number, secondRemaining: number, hourRemaining: number];

interface RateLimitCommands {
  rateLimitConsume(key: string, perSecond: number, perHour: number, quarterMs: number, idleMs: number, now: string): Promise<ConsumeReply>;
}

export interface RedisRateLimitStoreOptions {
  /** Put before every key, so that several deployments (or test runs) can share one Redis. */
  keyPrefix: string;
  /** The time the windows read; Redis's own clock when absent (one clock for every process). */
  clock?: Pick<Clock, 'now'>;
}

/**
 * The counters of every server process in one Redis: each hit runs `consume()`'s rules in one Lua script
 * on the client's hash, so concurrent hits through different processes are counted one after the other.
 * Failures (Redis down, a command timeout) reject; FallbackRateLimitStore answers from memory then.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis & RateLimitCommands;

  constructor(
    redis: Redis,
    private readonly options: RedisRateLimitStoreOptions,
  ) {
    redis.defineCommand('rateLimitConsume', { numberOfKeys: 1, lua: CONSUME_SCRIPT });
    this.redis = redis as Redis & RateLimitCommands;
  }

  async hit(key: string, limits: RateLimits): Promise<RateLimitDecision> {
    const now = this.options.clock ? String(this.options.clock.now()) : '';
    const [allowed, reset, secondRemaining, hourRemaining] = await this.redis.rateLimitConsume(
      `${this.options.keyPrefix}${key}`,
      limits.perSecond,
      limits.perHour,
      QUARTER_MS,
      IDLE_MS,
      now,
    );
    return { allowed: allowed === 1, reset, secondRemaining, hourRemaining };
  }
}
