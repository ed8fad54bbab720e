/**
 * Webhook transformations (seed 000, "Transforming webhook calls"): JSON pointers into the context
 * `{payload, topic, user}`, whole-value replacement (`"{ /payload/sys/id }"`), string templates (values
 * stringified), helpers, and URL templates.
 */

export interface TransformationContext {
  payload: unknown;
  topic: string;
  user: { sys: { id: string | null } };
}

const ENGLISH_STOP_WORDS = new Set(
  'a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves'.split(
    ' ',
  ),
);

/** Resolves an absolute JSON pointer (RFC 6901) in the context; undefined when nothing is there. */
export function resolvePointer(context: unknown, pointer: string): unknown {
  if (!pointer.startsWith('/')) return undefined;
  let current: unknown = context;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const asText = (value: unknown) => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));

export function stripMarkdown(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, (block) => block.replace(/```\w*\n?/g, ''))
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '')
    .replace(/^\s*\d+\.\s+/gm, '')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(\*|_)(.*?)\1/g, '$2')
    .replace(/~~(.*?)~~/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim();
}

const HELPERS: Record<string, (value: unknown, n?: number) => unknown> = {
  'first-chars': (value, n = 0) => asText(value).slice(0, n),
  'first-words': (value, n = 0) => asText(value).split(/\s+/).filter(Boolean).slice(0, n).join(' '),
  'first-paragraphs': (value, n = 0) =>
    asText(value)
      .split(/\n\s*\n/)
      .slice(0, n)
      .join('\n\n'),
  // Keywords come out in lower case, as in seed 000's example ("Art is the …" gives "art expression …").
  'strip-stop-words': (value) =>
    asText(value)
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w && !ENGLISH_STOP_WORDS.has(w.replace(/[^\p{L}\p{N}']/gu, '')))
      .join(' '),
  'strip-markdown': (value) => stripMarkdown(asText(value)),
  stringify: (value) => JSON.stringify(value ?? null),
};

export const HELPER_NAMES = Object.keys(HELPERS);

const EXPRESSION = /\{\s*(?:([a-z-]+)\s+(?:(\d+)\s+)?)?(\/[^\s{}]*)\s*\}/g;

/** One `{ [helper [n]] /pointer }` expression's value. */
function evaluate(context: TransformationContext, helper: string | undefined, count: string | undefined, pointer: string): unknown {
  const value = resolvePointer(context, pointer);
  if (!helper) return value;
  const fn = HELPERS[helper];
  return fn ? fn(value, count === undefined ? undefined : Number(count)) : value;
}

/** A string that is exactly one expression is replaced by the value; otherwise every expression is stringified in place. */
export function renderString(template: string, context: TransformationContext): unknown {
  const whole = new RegExp(`^${EXPRESSION.source}$`).exec(template.trim());
  if (whole) return evaluate(context, whole[1], whole[2], whole[3]);
  return template.replace(EXPRESSION, (_, helper: string | undefined, count: string | undefined, pointer: string) =>
    asText(evaluate(context, helper, count, pointer)),
  );
}

export function transformBody(body: unknown, context: TransformationContext): unknown {
  if (typeof body === 'string') return renderString(body, context);
  if (Array.isArray(body)) return body.map((item) => transformBody(item, context));
  if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, transformBody(v, context)]));
  return body;
}

/** URLs always use string templates, with values URL-encoded. */
export function transformUrl(url: string, context: TransformationContext): string {
  return url.replace(EXPRESSION, (_, helper: string | undefined, count: string | undefined, pointer: string) =>
    encodeURIComponent(asText(evaluate(context, helper, count, pointer))),
  );
}

/** Form encoding for the x-www-form-urlencoded content types: nested values are JSON. */
export function formEncode(body: unknown): string {
  const entries = body && typeof body === 'object' && !Array.isArray(body) ? Object.entries(body) : [['body', body] as const];
  return new URLSearchParams(entries.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
}
