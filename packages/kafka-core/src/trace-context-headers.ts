import {
  context,
  propagation,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/** Kafka record headers as kafkajs carries them. */
export type RecordHeaders = Record<string, string | Buffer | (string | Buffer)[] | undefined>;

const setter: TextMapSetter<RecordHeaders> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<RecordHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const value = carrier[key];
    if (value === undefined) return undefined;
    // A header sent twice arrives as an array; W3C says the first traceparent wins.
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** Writes the W3C trace context of `ctx` (default: the active one) into record headers. */
export function injectTraceContext(
  headers: RecordHeaders,
  ctx: Context = context.active(),
): RecordHeaders {
  propagation.inject(ctx, headers, setter);
  return headers;
}

/** The context carried in record headers, on top of `base` (default: the active one). */
export function extractTraceContext(
  headers: RecordHeaders | undefined,
  base: Context = context.active(),
): Context {
  return headers ? propagation.extract(base, headers, getter) : base;
}
