import { CmaError } from '../../api/cma';
import type { Entry, EntrySys } from '../../api/entries';

/** A validation error the CMA gave for one place in the entry (`path: ['fields', field, locale]`). */
export interface FieldError {
  name: string;
  path: string[];
  details?: string;
  message?: string;
  [key: string]: unknown;
}

export type SaveState = 'saved' | 'pending' | 'saving' | 'conflict' | 'failed';

/** What the document needs of the CMA: saving the fields at a version, and the lifecycle actions. */
export interface EntryStore {
  update(id: string, body: Pick<Entry, 'fields' | 'metadata'>, version: number): Promise<Entry>;
  publish(id: string, version: number): Promise<Entry>;
  unpublish(id: string, version: number): Promise<Entry>;
  archive(id: string, version: number): Promise<Entry>;
  unarchive(id: string, version: number): Promise<Entry>;
}

type Listener<T> = (value: T) => void;

class Topic<T> {
  private readonly listeners = new Set<Listener<T>>();
  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(value: T) {
    for (const listener of [...this.listeners]) listener(value);
  }
}

const key = (fieldId: string, locale: string) => `${fieldId}\u0000${locale}`;
const copy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

/**
 * One entry being edited: the values the field editors read and write, saved to the CMA after each change
 * at the version last saved (as Contentful's web app saves), one save at a time. A newer version on the
 * server is a conflict: the document stops saving and waits for the user to reload, never overwriting it.
 * `schedule` decides when a pending save runs (a short delay in the app, at once in tests).
 */
export class EntryDocument {
  private current: Entry;
  private readonly values = new Map<string, Topic<unknown>>();
  private readonly errorTopics = new Map<string, Topic<FieldError[]>>();
  private errorsByPlace = new Map<string, FieldError[]>();
  private entityErrors: FieldError[] = [];
  private readonly sysTopic = new Topic<EntrySys>();
  private readonly stateTopic = new Topic<SaveState>();
  private state: SaveState = 'saved';
  private lastError?: CmaError;
  private dirty = false;
  private saving?: Promise<void>;
  private cancelScheduled?: () => void;

  constructor(
    entry: Entry,
    private readonly store: EntryStore,
    private readonly schedule: (run: () => void) => () => void,
  ) {
    this.current = copy(entry);
  }

  get sys(): EntrySys {
    return this.current.sys;
  }
  get entry(): Entry {
    return this.current;
  }
  get saveState(): SaveState {
    return this.state;
  }
  get error(): CmaError | undefined {
    return this.lastError;
  }

  getValue(fieldId: string, locale: string): unknown {
    return copy(this.current.fields[fieldId]?.[locale]);
  }

  /** Sets (or, with undefined, removes) one field's value in one locale and schedules a save. */
  setValue(fieldId: string, locale: string, value: unknown): Promise<void> {
    if (this.state === 'conflict') return Promise.reject(new CmaError(409, 'VersionMismatch', 'This entry changed elsewhere: reload it.'));
    const field = { ...(this.current.fields[fieldId] ?? {}) };
    if (value === undefined || value === null) delete field[locale];
    else field[locale] = copy(value);
    const fields = { ...this.current.fields };
    if (Object.keys(field).length) fields[fieldId] = field;
    else delete fields[fieldId];
    this.current = { ...this.current, fields };
    this.topic(this.values, key(fieldId, locale)).emit(this.getValue(fieldId, locale));
    this.dirty = true;
    this.setState('pending');
    this.cancelScheduled?.();
    this.cancelScheduled = this.schedule(() => void this.save());
    return Promise.resolve();
  }

  setTags(tagIds: string[]): Promise<void> {
    this.current = {
      ...this.current,
      metadata: { ...this.current.metadata, tags: tagIds.map((id) => ({ sys: { type: 'Link', linkType: 'Tag', id } })) },
    };
    this.dirty = true;
    this.setState('pending');
    return this.save();
  }

  /** Saves what changed since the last save; resolves once nothing is left to save (or saving stopped). */
  save(): Promise<void> {
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
    this.saving ??= this.drain().finally(() => {
      this.saving = undefined;
    });
    return this.saving;
  }

  private async drain() {
    while (this.dirty && this.state !== 'conflict') {
      this.dirty = false;
      this.setState('saving');
      try {
        const saved = await this.store.update(
          this.sys.id,
          { fields: this.current.fields, metadata: this.current.metadata },
          this.sys.version,
        );
        // Changes made while the save was in flight stay: only the server's sys is taken.
        this.current = { ...this.current, sys: saved.sys };
        this.sysTopic.emit(this.sys);
        this.lastError = undefined;
        this.setState(this.dirty ? 'pending' : 'saved');
      } catch (error) {
        // What was not saved is still to save (the next change or action tries again), unless it conflicts.
        this.dirty = true;
        this.fail(error);
        return;
      }
    }
  }

  /** Runs a lifecycle action after the last change is saved; a 422 places its errors on their fields. */
  async act(action: 'publish' | 'unpublish' | 'archive' | 'unarchive'): Promise<boolean> {
    await this.save();
    if (this.state === 'conflict' || this.dirty) return false;
    try {
      const result = await this.store[action](this.sys.id, this.sys.version);
      this.current = { ...this.current, sys: result.sys };
      this.setErrors([]);
      this.lastError = undefined;
      this.sysTopic.emit(this.sys);
      this.setState('saved');
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  private fail(error: unknown) {
    const cmaError = error instanceof CmaError ? error : new CmaError(0, 'ClientError', String(error));
    this.lastError = cmaError;
    if (cmaError.id === 'ValidationFailed' || cmaError.id === 'UnresolvedLinks') {
      const details = cmaError.details as { errors?: FieldError[] } | undefined;
      this.setErrors(details?.errors ?? []);
    }
    this.setState(cmaError.status === 409 ? 'conflict' : 'failed');
  }

  private setErrors(errors: FieldError[]) {
    const before = this.errorsByPlace;
    this.errorsByPlace = new Map();
    this.entityErrors = [];
    for (const error of errors) {
      const [area, fieldId, locale] = error.path ?? [];
      if (area !== 'fields' || !fieldId) {
        this.entityErrors.push(error);
        continue;
      }
      const place = key(fieldId, locale ?? '');
      this.errorsByPlace.set(place, [...(this.errorsByPlace.get(place) ?? []), error]);
    }
    for (const place of new Set([...before.keys(), ...this.errorsByPlace.keys()])) {
      this.topic(this.errorTopics, place).emit(this.errorsByPlace.get(place) ?? []);
    }
  }

  /** The CMA's errors for a field in a locale (those without a locale count for every locale). */
  errors(fieldId: string, locale: string): FieldError[] {
    return [...(this.errorsByPlace.get(key(fieldId, locale)) ?? []), ...(this.errorsByPlace.get(key(fieldId, '')) ?? [])];
  }
  /** The errors the last refused action gave on fields. */
  get fieldErrors(): FieldError[] {
    return [...this.errorsByPlace.values()].flat();
  }
  /** The errors it gave on the entry as a whole (unresolved tasks, a workflow step, its metadata). */
  get generalErrors(): FieldError[] {
    return this.entityErrors;
  }

  onValueChanged(fieldId: string, locale: string, listener: Listener<unknown>) {
    return this.topic(this.values, key(fieldId, locale)).subscribe(listener);
  }
  onErrorsChanged(fieldId: string, locale: string, listener: Listener<FieldError[]>) {
    const unsubscribeLocale = this.topic(this.errorTopics, key(fieldId, locale)).subscribe(() => listener(this.errors(fieldId, locale)));
    const unsubscribeField = this.topic(this.errorTopics, key(fieldId, '')).subscribe(() => listener(this.errors(fieldId, locale)));
    return () => {
      unsubscribeLocale();
      unsubscribeField();
    };
  }
  onSysChanged(listener: Listener<EntrySys>) {
    return this.sysTopic.subscribe(listener);
  }
  onStateChanged(listener: Listener<SaveState>) {
    return this.stateTopic.subscribe(listener);
  }

  private setState(state: SaveState) {
    if (this.state === state) return;
    this.state = state;
    this.stateTopic.emit(state);
  }

  private topic<T>(map: Map<string, Topic<T>>, place: string): Topic<T> {
    let topic = map.get(place);
    if (!topic) {
      topic = new Topic<T>();
      map.set(place, topic);
    }
    return topic;
  }
}
