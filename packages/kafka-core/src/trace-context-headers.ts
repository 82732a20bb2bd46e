import {
  context,
  propagation,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

import { headerText, type RecordHeaders } from './record-headers.js';

const setter: TextMapSetter<RecordHeaders> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<RecordHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: headerText,
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
