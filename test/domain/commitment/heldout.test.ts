import { describe, expect, it } from 'vitest';
import { readCommitments, readMessage } from '../../../src/domain/commitment';
import { FIELDS, loadExamples, percent, scoreExamples } from './score';

/**
 * The second held-out batch (test/fixtures/commitments-heldout-2.jsonl): written and annotated
 * before the reader was changed for issue #14, and not used to tune it. Each line may also say
 * which parties state that they have nothing further (`nothingFurther`, from `readMessage`).
 */
const examples = loadExamples('commitments-heldout-2.jsonl');

describe('commitment reader on the second held-out batch', () => {
  const { perField, misses } = scoreExamples(examples, readCommitments);

  it('is a batch of at least 60 varied messages', () => {
    expect(examples.length).toBeGreaterThanOrEqual(60);
    expect(examples.filter((e) => e.expected.length > 1).length).toBeGreaterThanOrEqual(5);
    expect(examples.filter((e) => (e.nothingFurther ?? []).length > 0).length).toBeGreaterThanOrEqual(5);
    for (const e of examples) for (const c of e.expected) expect(Object.keys(c).sort()).toEqual([...FIELDS].sort());
  });

  it('reads every field right in at least 95 % of the commitments', () => {
    console.table(
      FIELDS.map((field) => {
        const t = perField[field];
        return { field, right: `${t.right}/${t.total}`, accuracy: `${percent(t.right, t.total).toFixed(1)} %`, invented: `${t.invented}/${t.expectedNull}` };
      }),
    );
    if (misses.length) console.log(`Held-out misses:\n${misses.join('\n')}`);
    for (const field of FIELDS) expect(percent(perField[field].right, perField[field].total), field).toBeGreaterThanOrEqual(95);
  });

  it('finds the parties that have nothing further in at least 95 % of the messages', () => {
    const right = examples.filter((e) => JSON.stringify(readMessage(e.text, e.today).nothingFurther) === JSON.stringify(e.nothingFurther ?? []));
    expect(percent(right.length, examples.length)).toBeGreaterThanOrEqual(95);
  });
});
