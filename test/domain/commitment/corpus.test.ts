import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCommitments, type Commitment } from '../../../src/domain/commitment';

/**
 * The hand-annotated corpus (test/fixtures/commitments.jsonl): each line a message, the day it
 * was written and the commitments a careful reader takes from it. Accuracy is counted per field
 * over every expected commitment (a commitment the reader misses, or one it adds, counts as wrong
 * in all its fields). An "invented" value is one the reader gives where the annotator has none.
 */
interface Example {
  text: string;
  today: string;
  expected: Commitment[];
}

const FIELDS = ['party', 'intervention', 'scope', 'performer', 'followUpDate'] as const;
const EMPTY: Commitment = { party: null, intervention: null, scope: null, performer: null, followUpDate: null };

const examples: Example[] = readFileSync(join(__dirname, '../../fixtures/commitments.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Example);

function score() {
  const perField = Object.fromEntries(FIELDS.map((f) => [f, { right: 0, total: 0, invented: 0, expectedNull: 0 }]));
  const misses: string[] = [];
  for (const { text, today, expected } of examples) {
    const actual = readCommitments(text, today);
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

describe('commitment reader on the annotated corpus', () => {
  const { perField, misses } = score();
  const percent = (n: number, d: number) => (d === 0 ? 100 : (100 * n) / d);

  it('has a corpus of at least 200 messages, several with more than one commitment', () => {
    expect(examples.length).toBeGreaterThanOrEqual(200);
    expect(examples.filter((e) => e.expected.length > 1).length).toBeGreaterThanOrEqual(5);
    for (const e of examples) for (const c of e.expected) expect(Object.keys(c).sort()).toEqual([...FIELDS].sort());
  });

  it('reads every field right in at least 95 % of the commitments', () => {
    const rows = FIELDS.map((field) => {
      const t = perField[field];
      return {
        field,
        right: `${t.right}/${t.total}`,
        accuracy: `${percent(t.right, t.total).toFixed(1)} %`,
        invented: `${t.invented}/${t.expectedNull}`,
      };
    });
    console.log(`Commitment corpus: ${examples.length} messages`);
    console.table(rows);
    if (misses.length) console.log(`Misses:\n${misses.join('\n')}`);
    for (const field of FIELDS) expect(percent(perField[field].right, perField[field].total), field).toBeGreaterThanOrEqual(95);
  });

  it('leaves a field the text does not give empty: at most 1 % invented values', () => {
    const invented = FIELDS.reduce((sum, f) => sum + perField[f].invented, 0);
    const expectedNull = FIELDS.reduce((sum, f) => sum + perField[f].expectedNull, 0);
    console.log(`Invented values: ${invented} of ${expectedNull} fields the annotator left empty (${percent(invented, expectedNull).toFixed(2)} %)`);
    expect(percent(invented, expectedNull)).toBeLessThanOrEqual(1);
  });
});
