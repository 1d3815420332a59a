import type { TestProject } from 'vitest/node';
import { startAzurite } from './support/azurite';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
  }
}

/** One in-memory Azurite for the whole run; each test file uses its own table prefix. */
export default async function setup(project: TestProject) {
  const azurite = await startAzurite();
  project.provide('storageConnectionString', azurite.connectionString);
  return () => azurite.stop();
}
