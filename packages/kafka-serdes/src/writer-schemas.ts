import type avro from 'avsc';
import { parseAvro } from './avro-parse.js';
import type { RegisteredSchema } from './registry-client.js';
import { RegistryError } from './registry-client.js';
import { SerdesError } from './serdes-error.js';

/** Where writer schemas come from: a `RegistryClient`, or anything with its `schemaById`. */
export interface SchemaSource {
  schemaById(id: number): Promise<RegisteredSchema>;
  /** Named in errors. */
  readonly url?: string;
}

interface Miss {
  readonly error: SerdesError;
  readonly until: number;
}

/**
 * Writer schemas by id, fetched once. Ids are immutable in a registry, so a found schema is
 * kept for good; concurrent requests for one id share one fetch; an id the registry does
 * not know is remembered for `missTtlMs` so a run of corrupt records does not become a run
 * of registry requests (and a registry restored from backup is believed again after it).
 */
export class WriterSchemas {
  private readonly found = new Map<number, avro.Type>();
  private readonly loading = new Map<number, Promise<avro.Type>>();
  private readonly misses = new Map<number, Miss>();

  constructor(
    private readonly source: SchemaSource,
    private readonly missTtlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The writer type of `id` when it is loaded; no I/O. */
  get(id: number): avro.Type | undefined {
    return this.found.get(id);
  }

  /** Keeps a type already known (the one this process registered, say) under `id`. */
  remember(id: number, type: avro.Type): void {
    this.found.set(id, type);
  }

  /**
   * The writer type of `id`. A SerdesError `unknown-schema-id` when the registry does not
   * have it or it is not Avro; a RegistryError (retriable) when the registry fails.
   */
  load(id: number): Promise<avro.Type> {
    const type = this.found.get(id);
    if (type !== undefined) return Promise.resolve(type);
    const miss = this.misses.get(id);
    if (miss !== undefined) {
      if (miss.until > this.now()) return Promise.reject(miss.error);
      this.misses.delete(id);
    }
    let pending = this.loading.get(id);
    if (pending === undefined) {
      pending = this.fetch(id).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  private async fetch(id: number): Promise<avro.Type> {
    let registered: RegisteredSchema;
    try {
      registered = await this.source.schemaById(id);
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404) {
        throw this.miss(
          id,
          `bytes 1-4 hold schema id ${id}, which the registry${this.source.url ? ` at ${this.source.url}` : ''} does not have`,
          err,
        );
      }
      throw err;
    }
    if ((registered.schemaType ?? 'AVRO') !== 'AVRO') {
      throw this.miss(
        id,
        `schema id ${id} is a ${registered.schemaType} schema, not Avro`,
        undefined,
        Infinity,
      );
    }
    let type: avro.Type;
    try {
      type = parseAvro(registered.schema, `schema id ${id}`);
    } catch (err) {
      throw this.miss(id, (err as Error).message, err, Infinity);
    }
    this.found.set(id, type);
    return type;
  }

  private miss(id: number, message: string, cause: unknown, ttl = this.missTtlMs): SerdesError {
    const error = new SerdesError('unknown-schema-id', message, { cause });
    this.misses.set(id, { error, until: this.now() + ttl });
    return error;
  }
}
