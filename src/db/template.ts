import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { DB } from './schema.js';

const PLACEHOLDER = '@cf-template-value:';

type Slot = { value: string } | { constant: unknown };

interface Compiled {
  sql: string;
  slots: Slot[];
}

/**
 * A hot query built and compiled by Kysely once per shape, then run with new values. Kysely builds
 * immutable trees and compiles them on every call: for an entry update that was a quarter of the server's
 * CPU. `build` receives a placeholder for each value and must hand them to Kysely untouched, as
 * parameters (no JSON.stringify, no arithmetic, no lists spread into `in (...)`, no branching on them);
 * anything structural belongs in `shape`. Compiling checks that every placeholder became a parameter.
 */
export class QueryTemplate<Values extends Record<string, unknown>> {
  private readonly shapes = new Map<string, Compiled>();

  constructor(private readonly build: (db: Kysely<DB>, values: Values, shape: string) => Compilable<unknown>) {}

  async execute<Row>(db: Kysely<DB>, values: Values, shape = ''): Promise<QueryResult<Row>> {
    let compiled = this.shapes.get(shape);
    if (!compiled) {
      compiled = this.compile(db, Object.keys(values), shape);
      this.shapes.set(shape, compiled);
    }
    const parameters = compiled.slots.map((slot) => ('value' in slot ? values[slot.value] : slot.constant));
    return db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters));
  }

  private compile(db: Kysely<DB>, names: string[], shape: string): Compiled {
    const placeholders = Object.fromEntries(names.map((name) => [name, `${PLACEHOLDER}${name}`]));
    const { sql, parameters } = this.build(db, placeholders as Values, shape).compile();
    const slots = parameters.map((parameter): Slot => {
      if (typeof parameter === 'string' && parameter.includes(PLACEHOLDER)) {
        const name = parameter.slice(PLACEHOLDER.length);
        if (!parameter.startsWith(PLACEHOLDER) || !(name in placeholders))
          throw new Error(`query template changed a value: ${JSON.stringify(parameter)}`);
        return { value: name };
      }
      return { constant: parameter };
    });
    const used = new Set(slots.flatMap((slot) => ('value' in slot ? [slot.value] : [])));
    const unused = names.filter((name) => !used.has(name));
    if (unused.length) throw new Error(`query template did not use: ${unused.join(', ')}`);
    return { sql, slots };
  }
}
