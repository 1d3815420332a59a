import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { openStore, type Store } from '../../src/store/store';

/** A store over the shared test Azurite, with tables of its own so test files never meet. */
export function openTestStore(): Promise<Store> {
  return openStore({ connectionString: inject('storageConnectionString'), tablePrefix: testTablePrefix() });
}

export function testTablePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}
