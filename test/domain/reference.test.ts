import { describe, expect, it } from 'vitest';
import { nextReference } from '../../src/domain/reference';

describe('numbered references', () => {
  it('starts at 0001 and follows the highest number of the same prefix', () => {
    expect(nextReference('AV-2026-', [])).toBe('AV-2026-0001');
    expect(nextReference('AV-2026-', ['AV-2026-0002', 'AV-2026-0009', 'AV-2025-0040', 'NB-2026-0100', ''])).toBe('AV-2026-0010');
  });

  it('ignores hand-written references that are not numbered', () => {
    expect(nextReference('NB-2026-', ['NB-2026-ABC', 'NB-2026-0003'])).toBe('NB-2026-0004');
  });
});
