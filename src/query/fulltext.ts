/**
 * Full-text search input, as seed 003 describes it: the input is sanitized and split into tokens; tokens
 * shorter than 2 characters are ignored; each remaining token is a left-anchored prefix that must match
 * somewhere; a quoted phrase must match word for word, in order, within one value.
 */
export interface FullTextQuery {
  /** Prefix tokens, lower-cased, each at least 2 characters. */
  tokens: string[];
  /** Phrases as lists of lower-cased words. */
  phrases: string[][];
}

const WORD = /[\p{L}\p{N}]+/gu;

const words = (text: string) => (text.toLowerCase().match(WORD) ?? []) as string[];

export function parseFullText(input: string): FullTextQuery {
  const phrases: string[][] = [];
  const rest = input.replace(/"([^"]*)"/g, (_, phrase: string) => {
    const w = words(phrase);
    if (w.length) phrases.push(w);
    return ' ';
  });
  return { tokens: words(rest).filter((t) => t.length >= 2), phrases };
}

/** `to_tsquery('simple', ...)` text requiring every token as a prefix (`cat:* & blue:*`), or undefined for none. */
export function prefixTsQuery(tokens: string[]): string | undefined {
  return tokens.length ? tokens.map((t) => `${t}:*`).join(' & ') : undefined;
}

/** `to_tsquery('simple', ...)` text requiring every word exactly (a cheap prefilter for phrases). */
export function exactTsQuery(words: string[]): string | undefined {
  return words.length ? words.join(' & ') : undefined;
}
