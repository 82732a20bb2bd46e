import { KafkaSdkError, type Secret } from '@org/kafka-core';
import { RegistryTelemetry } from './registry-telemetry.js';

/** How to authenticate to the registry. */
export type RegistryAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: Secret | string }
  | { readonly kind: 'bearer'; readonly token: Secret | string | (() => Promise<string>) };

export interface RegistryClientOptions {
  /** The Confluent-compatible API root, e.g. `http://registry:8080/apis/ccompat/v7`. */
  readonly url: string;
  readonly auth?: RegistryAuth;
  /** Per request, each attempt. */
  readonly timeoutMs?: number;
  /** Attempts for 5xx answers and network errors, the first included. */
  readonly attempts?: number;
  /** Delay before the second attempt; doubles after each. */
  readonly retryDelayMs?: number;
}

export interface RegisteredSchema {
  readonly id: number;
  readonly schema: string;
  /** AVRO, JSON or PROTOBUF; the registry leaves it out for Avro. */
  readonly schemaType?: string;
  readonly version?: number;
  readonly subject?: string;
}

/**
 * A registry request that failed. `status` is the HTTP status (0 for a network error or a
 * timeout); the message names the URL, and says what the registry said.
 */
export class RegistryError extends KafkaSdkError {
  readonly status: number;
  readonly registryCode: number | undefined;
  readonly url: string;

  constructor(
    message: string,
    details: { status: number; registryCode?: number; url: string; cause?: unknown },
  ) {
    super('SCHEMA_REGISTRY_FAILED', message, {
      retriable: shouldRetry(details.status),
      cause: details.cause,
    });
    this.name = 'RegistryError';
    this.status = details.status;
    this.registryCode = details.registryCode;
    this.url = details.url;
  }
}

/** Whether an answer (or its absence, status 0) is worth another attempt. */
export function shouldRetry(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

const reveal = (v: Secret | string) => (typeof v === 'string' ? v : v.reveal());

/** A client of the Confluent Schema Registry API (Apicurio's `ccompat` API included). */
export class RegistryClient {
  /** The API root, without a trailing slash. */
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly telemetry: RegistryTelemetry;

  constructor(private readonly options: RegistryClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new RangeError(`registry url: not a URL: ${JSON.stringify(options.url)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new RangeError(`registry url: expected http or https, got ${parsed.protocol}`);
    }
    if (parsed.username !== '' || parsed.password !== '') {
      // fetch refuses them too; and a URL ends up in logs, errors and spans.
      throw new RangeError(
        "registry url: credentials in the URL are refused (they would show in errors, logs and spans); pass them as auth: { kind: 'basic', username, password }",
      );
    }
    this.url = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.attempts = options.attempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.telemetry = new RegistryTelemetry(parsed);
  }

  /** The writer schema registered under `id`. */
  async schemaById(id: number): Promise<RegisteredSchema> {
    const body = (await this.request('GET', '/schemas/ids/{id}', { id: String(id) })) as {
      schema: string;
      schemaType?: string;
    };
    return { id, schema: body.schema, schemaType: body.schemaType ?? 'AVRO' };
  }

  /** Registers `schema` under `subject` (or finds it registered); returns its id. */
  async register(subject: string, schema: string): Promise<number> {
    const body = (await this.request(
      'POST',
      '/subjects/{subject}/versions',
      { subject },
      { schema, schemaType: 'AVRO' },
    )) as { id: number };
    return body.id;
  }

  /** The latest version registered under `subject`. */
  async latest(subject: string): Promise<RegisteredSchema> {
    const body = (await this.request('GET', '/subjects/{subject}/versions/latest', {
      subject,
    })) as { id: number; schema: string; version: number; subject: string };
    return { id: body.id, schema: body.schema, version: body.version, subject: body.subject };
  }

  /** The id of `schema` if it is registered under `subject`, without registering it. */
  async lookup(subject: string, schema: string): Promise<RegisteredSchema> {
    const body = (await this.request(
      'POST',
      '/subjects/{subject}',
      { subject },
      { schema, schemaType: 'AVRO' },
    )) as { id: number; version: number };
    return { id: body.id, schema, version: body.version, subject };
  }

  private async headers(): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      accept: 'application/vnd.schemaregistry.v1+json, application/json',
    };
    const auth = this.options.auth;
    if (auth?.kind === 'basic') {
      const pair = `${auth.username}:${reveal(auth.password)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    } else if (auth?.kind === 'bearer') {
      const token = typeof auth.token === 'function' ? await auth.token() : reveal(auth.token);
      headers.authorization = `Bearer ${token}`;
    }
    return headers;
  }

  /**
   * `template` names the path's variables (`/schemas/ids/{id}`), filled from `params` (URL-encoded);
   * the template itself is the span name and metric label.
   */
  private async request(
    method: 'GET' | 'POST',
    template: string,
    params: Readonly<Record<string, string>>,
    json?: unknown,
  ): Promise<unknown> {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(params[name]!),
    );
    const url = `${this.url}${path}`;
    let last: RegistryError | undefined;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) {
        await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** (attempt - 2)));
      }
      const traced = this.telemetry.start(method, template, url, attempt - 1);
      let response: Response | undefined;
      let text: string;
      try {
        const headers = await this.headers();
        if (json !== undefined) headers['content-type'] = 'application/vnd.schemaregistry.v1+json';
        response = await fetch(url, {
          method,
          headers,
          body: json === undefined ? undefined : JSON.stringify(json),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        text = await response.text();
      } catch (err) {
        const message = (err as Error).message;
        // No answer at all, or an answer whose body broke off (a reset, or the timeout
        // striking while reading): both worth another attempt.
        const timedOut = response === undefined && (err as Error).name === 'TimeoutError';
        traced.failed(timedOut ? 'timeout' : networkErrorType(err), err as Error);
        const what = response
          ? `HTTP ${response.status}, then the answer broke off (${message})`
          : timedOut
            ? `no answer within ${this.timeoutMs} ms`
            : `registry unreachable (${message}${causeText(err)})`;
        last = new RegistryError(`${method} ${url}: ${what}`, { status: 0, url, cause: err });
        continue;
      }
      traced.answered(response.status);
      if (response.ok) {
        try {
          return JSON.parse(text) as unknown;
        } catch (err) {
          throw new RegistryError(
            `${method} ${url}: the answer is not JSON: ${text.slice(0, 200)}`,
            {
              status: response.status,
              url,
              cause: err,
            },
          );
        }
      }
      let said: { error_code?: number; message?: string } = {};
      try {
        said = JSON.parse(text) as typeof said;
      } catch {
        said = { message: text.slice(0, 200) };
      }
      last = new RegistryError(
        `${method} ${url}: HTTP ${response.status}${said.error_code ? ` (error ${said.error_code})` : ''}: ${said.message ?? response.statusText}`,
        { status: response.status, registryCode: said.error_code, url },
      );
      if (!shouldRetry(response.status)) throw last;
    }
    throw last!;
  }
}

/** The socket's error code under a failed fetch (ECONNREFUSED, ECONNRESET...), if any. */
function socketCode(err: unknown): string | undefined {
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A low-cardinality name for a failure without an answer: the socket's code, or the error's name. */
function networkErrorType(err: unknown): string {
  return socketCode(err) ?? (err as Error).name;
}

function causeText(err: unknown): string {
  const detail = socketCode(err) ?? (err as { cause?: { message?: string } }).cause?.message;
  return detail ? `: ${detail}` : '';
}
