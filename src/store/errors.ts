/** The stored entity changed since it was read (ETag mismatch, HTTP 412). */
export class ConcurrencyError extends Error {
  constructor(readonly entity: string) {
    super(`${entity} was changed by someone else`);
    this.name = 'ConcurrencyError';
  }
}

/** An entity with the same keys already exists (HTTP 409 on create). */
export class AlreadyExistsError extends Error {
  constructor(readonly entity: string) {
    super(`${entity} already exists`);
    this.name = 'AlreadyExistsError';
  }
}

/** The record does not fit in one table entity (1 MiB) even when split over properties. */
export class EntityTooLargeError extends Error {
  constructor(readonly entity: string, readonly size: number) {
    super(`${entity} is too large to store (${size} characters of JSON)`);
    this.name = 'EntityTooLargeError';
  }
}

export function statusCodeOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error
    ? (error as { statusCode?: number }).statusCode
    : undefined;
}
