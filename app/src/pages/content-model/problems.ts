import type { CmaError, Validation } from '../../api/cma';
import type { ProblemsByKind } from './ValidationControls';

/** One thing the CMA refused: its words, and the path in the content type it concerns. */
export interface Problem {
  /** The details with the path, as the field's note lists them. */
  text: string;
  /** The details alone, as shown next to the validation concerned. */
  details: string;
  path: (string | number)[];
}

/** What the CMA refused (422 ValidationFailed), split between the fields its paths name and the rest. */
export function placeErrors(error: CmaError | undefined) {
  const byField = new Map<number, Problem[]>();
  const general: string[] = [];
  if (error?.id !== 'ValidationFailed') return { byField, general };
  const items = (error.details as { errors?: { path?: (string | number)[]; details?: string; name?: string }[] } | undefined)?.errors ?? [];
  for (const item of items) {
    const details = item.details ?? item.name ?? 'invalid';
    const path = item.path ?? [];
    const text = `${details}${path.length ? ` (${path.join('.')})` : ''}`;
    const index = path[0] === 'fields' && typeof path[1] === 'number' ? path[1] : undefined;
    if (index === undefined) general.push(text);
    else byField.set(index, [...(byField.get(index) ?? []), { text, details, path }]);
  }
  return { byField, general };
}

const kindOfValidation = (validation: Validation | undefined) => Object.keys(validation ?? {}).find((k) => k !== 'message');

/**
 * A field's problems about the validations of one list (`['validations']` for the field's own,
 * `['items', 'validations']` for its items'), by validation kind.
 */
export function problemsByKind(problems: Problem[], scope: string[], list: Validation[] | undefined): ProblemsByKind {
  const byKind: ProblemsByKind = new Map();
  for (const problem of problems) {
    const at = problem.path.slice(2);
    if (!scope.every((part, i) => at[i] === part)) continue;
    const index = at[scope.length];
    const next = at[scope.length + 1];
    const kind =
      typeof next === 'string' && next !== 'message' ? next : typeof index === 'number' ? kindOfValidation(list?.[index]) : undefined;
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), problem.details]);
  }
  return byKind;
}
