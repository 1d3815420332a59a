import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Commitment } from '../../../src/domain/commitment';

/** One annotated message: the day it was written, the commitments and (optionally) the parties with nothing further. */
export interface Example {
  text: string;
  today: string;
  expected: Commitment[];
  nothingFurther?: string[];
}

export const FIELDS = ['party', 'intervention', 'scope', 'performer', 'followUpDate'] as const;
const EMPTY: Commitment = { party: null, intervention: null, scope: null, performer: null, followUpDate: null };

export function loadExamples(file: string): Example[] {
  return readFileSync(join(__dirname, '../../fixtures', file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Example);
}

export interface Tally {
  right: number;
  total: number;
  invented: number;
  expectedNull: number;
}

/**
 * Field-level accuracy over every expected commitment, as in corpus.test.ts: a commitment the
 * reader misses, or one it adds, counts as wrong in all its fields.
 */
export function scoreExamples(examples: Example[], read: (text: string, today: string) => Commitment[]) {
  const perField = Object.fromEntries(FIELDS.map((f) => [f, { right: 0, total: 0, invented: 0, expectedNull: 0 }])) as Record<
    (typeof FIELDS)[number],
    Tally
  >;
  const misses: string[] = [];
  for (const { text, today, expected } of examples) {
    const actual = read(text, today);
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      const want = expected[i] ?? EMPTY;
      const got = actual[i] ?? EMPTY;
      for (const field of FIELDS) {
        const tally = perField[field];
        tally.total++;
        if (got[field] === want[field]) tally.right++;
        else misses.push(`${field}: ${JSON.stringify(got[field])} ≠ ${JSON.stringify(want[field])}  ← ${JSON.stringify(text)}`);
        if (want[field] === null) {
          tally.expectedNull++;
          if (got[field] !== null) tally.invented++;
        }
      }
    }
  }
  return { perField, misses };
}

export const percent = (n: number, d: number) => (d === 0 ? 100 : (100 * n) / d);
