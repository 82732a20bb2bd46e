/**
 * What the outbox needs of a database client: node-postgres's `Client` and `PoolClient`
 * fit, so the caller's own client (inside its own transaction) is used as it is.
 */
export interface SqlClient {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}
