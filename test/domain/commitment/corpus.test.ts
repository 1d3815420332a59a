import { describe, expect, it } from 'vitest';
import { readCommitments } from '../../../src/domain/commitment';
import { FIELDS, loadExamples, percent, scoreExamples } from './score';

/**
 * The hand-annotated corpus (test/fixtures/commitments.jsonl): each line a message, the day it
 * was written and the commitments a careful reader takes from it. Accuracy is counted per field
 * over every expected commitment (a commitment the reader misses, or one it adds, counts as wrong
 * in all its fields). An "invented" value is one the reader gives where the annotator has none.
 */
const examples = loadExamples('commitments.jsonl');

describe('commitment reader on the annotated corpus', () => {
  const { perField, misses } = scoreExamples(examples, readCommitments);

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
