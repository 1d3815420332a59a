import { describe, expect, it } from 'vitest';
import { containsPersonalIdentityNumber } from '../../src/domain/privacy';

// Skatteverket's published test numbers (valid check digits, no real person).
describe('personnummer guard', () => {
  it.each([
    'Flickan 121212-1212 har hög frånvaro',
    '19121212-1212',
    '20121212-1212',
    '1212121212',
    '191212121212',
    '121212+1212',
    'pnr 121212 1212',
    'samordningsnummer 701063-2391',
    '(121212-1212)',
  ])('finds one in "%s"', (text) => {
    expect(containsPersonalIdentityNumber(text)).toBe(true);
  });

  it.each([
    'Ökande frånvaro och sömnsvårigheter; behov av samlad bild och plan',
    '121212-1213', // wrong check digit
    '131313-1313', // month 13
    'Ring 0920-123456',
    'Möte 2026-03-12 kl 13:00',
    'NB-2026-0007',
    '4 träffar, 2 h/vecka',
    '12345678901234', // longer number
    '',
  ])('does not flag "%s"', (text) => {
    expect(containsPersonalIdentityNumber(text)).toBe(false);
  });
});
