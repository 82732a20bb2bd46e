import { describe, expect, it } from 'vitest';
import { RegistryClient, RegistryError, shouldRetry } from './registry-client.js';

describe('RegistryClient', () => {
  it('refuses a url that is not http(s), naming it', () => {
    expect(() => new RegistryClient({ url: 'registry:8081' })).toThrow(
      'registry url: expected http or https, got registry:',
    );
    expect(() => new RegistryClient({ url: 'not a url' })).toThrow('registry url: not a URL');
  });

  it('refuses credentials in the url and points to auth', () => {
    expect(() => new RegistryClient({ url: 'http://svc:s3cret@registry:8081' })).toThrow(
      "registry url: credentials in the URL are refused (they would show in errors, logs and spans); pass them as auth: { kind: 'basic', username, password }",
    );
  });

  it('retries network errors, 429 and 5xx, never other 4xx', () => {
    expect([0, 429, 500, 502, 503].every(shouldRetry)).toBe(true);
    expect([400, 401, 403, 404, 409, 422].some(shouldRetry)).toBe(false);
  });

  it('marks its errors retriable exactly when retrying may help', () => {
    const at = { url: 'http://r/x' };
    expect(new RegistryError('m', { ...at, status: 0 }).retriable).toBe(true);
    expect(new RegistryError('m', { ...at, status: 503 }).retriable).toBe(true);
    expect(new RegistryError('m', { ...at, status: 409 }).retriable).toBe(false);
    expect(new RegistryError('m', { ...at, status: 404 }).code).toBe('SCHEMA_REGISTRY_FAILED');
  });
});
