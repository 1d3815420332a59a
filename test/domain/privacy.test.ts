import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containsPersonalIdentityNumber, maskPersonalIdentityNumbers, normaliseForGuard } from '../../src/domain/privacy';

// Skatteverket's published test numbers (valid check digits, no real person): 121212-1212 and the
// samordningsnummer 701063-2391. Numbers with a wrong check digit are never assigned to anyone.
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
    '131313-1313', // month 13
    'Ring 0920-123456',
    'Möte 2026-03-12 kl 13:00',
    'NB-2026-0007',
    '4 träffar, 2 h/vecka',
    '12345678901234', // longer number
    '1212121213', // bare, wrong check digit: could be any number
    '191212121213',
    '21121212-1212', // century 21
    '17121212-1212', // century 17
    '121200-1212', // day 0
    '121232-1212', // day 32
    '121292-1212', // day 92 (samordningsnummer days end at 91)
    '120012-1212', // month 0
    '212000-2627', // Luleå kommun's organisation number: "month" 20
    '',
  ])('does not flag "%s"', (text) => {
    expect(containsPersonalIdentityNumber(text)).toBe(false);
  });
});

/** Every way a personnummer gets written, pasted or mistyped: all of them must be refused. */
const REFUSED: [string, string][] = [
  // The standard forms, valid check digit.
  ['YYMMDD-NNNN', '121212-1212'],
  ['YYYYMMDD-NNNN', '19121212-1212'],
  ['YYYYMMDD-NNNN, 2000s', '20121212-1212'],
  ['YYYYMMDD-NNNN, 1800s', '18121212-1212'],
  ['YYMMDD+NNNN (over 100)', '121212+1212'],
  ['YYYYMMDD+NNNN', '19121212+1212'],
  ['YYMMDD NNNN', '121212 1212'],
  ['YYYYMMDD NNNN', '19121212 1212'],
  ['YYMMDD - NNNN', '121212 - 1212'],
  ['YY MM DD-NNNN', '12 12 12-1212'],
  ['YYYY MM DD-NNNN', '1912 12 12-1212'],
  ['YY MM DD - NNNN', '12 12 12 - 1212'],
  ['YY MM DD NNNN, valid check digit', '12 12 12 1212'],
  ['bare 10 digits, valid check digit', '1212121212'],
  ['bare 12 digits, valid check digit', '191212121212'],
  ['bare 12 digits, 2000s', '201212121212'],
  // A separator and a plausible date are enough: a typo identifies the child just as well.
  ['YYMMDD-NNNN, wrong check digit', '100315-2386'],
  ['YYMMDD-NNNN, wrong check digit (2)', '121212-1213'],
  ['YYYYMMDD-NNNN, wrong check digit', '20100315-2386'],
  ['YYMMDD+NNNN, wrong check digit', '100315+2386'],
  ['YYMMDD NNNN, wrong check digit', '100315 2386'],
  ['YY MM DD-NNNN, wrong check digit', '10 03 15-2386'],
  ['day 31', '100331-2386'],
  ['day 1', '100301-2386'],
  ['December', '101215-2386'],
  // Samordningsnummer: day + 60.
  ['samordningsnummer', '701063-2391'],
  ['samordningsnummer, 12 digits', '19701063-2391'],
  ['samordningsnummer, bare', '7010632391'],
  ['samordningsnummer, wrong check digit', '100375-2386'],
  ['samordningsnummer, day 61', '100361-2386'],
  ['samordningsnummer, day 91', '100391-2386'],
  // Unicode separators and digits, as pasted from Word, a PDF or a phone.
  ['en dash', '121212\u20131212'],
  ['em dash', '121212\u20141212'],
  ['non-breaking hyphen', '121212\u20111212'],
  ['hyphen U+2010', '121212\u20101212'],
  ['figure dash', '121212\u20121212'],
  ['minus sign', '121212\u22121212'],
  ['small hyphen-minus', '121212\uFE631212'],
  ['full-width hyphen-minus', '121212\uFF0D1212'],
  ['full-width plus', '121212\uFF0B1212'],
  ['en dash, wrong check digit', '100315\u20132386'],
  ['full-width digits', '\uFF11\uFF12\uFF11\uFF12\uFF11\uFF12-\uFF11\uFF12\uFF11\uFF12'],
  ['full-width digits and hyphen, bare-like', '\uFF11\uFF10\uFF10\uFF13\uFF11\uFF15\uFF0D\uFF12\uFF13\uFF18\uFF16'],
  ['Arabic-Indic digits', '\u0661\u0662\u0661\u0662\u0661\u0662-\u0661\u0662\u0661\u0662'],
  ['Devanagari digits', '\u0967\u0966\u0966\u0969\u0967\u096B-\u0968\u0969\u096E\u096C'],
  ['mathematical bold digits', '\u{1D7CF}\u{1D7D0}\u{1D7CF}\u{1D7D0}\u{1D7CF}\u{1D7D0}-\u{1D7CF}\u{1D7D0}\u{1D7CF}\u{1D7D0}'],
  ['zero-width space inside', '1212\u200B12-1212'],
  ['zero-width space inside, bare', '12121\u200B21212'],
  ['zero-width joiner and non-joiner', '12\u200D1212-12\u200C12'],
  ['word joiner', '121212\u2060-\u20601212'],
  ['byte-order mark', '\uFEFF121212-\uFEFF1212'],
  ['soft hyphen', '121212\u00AD-1212'],
  ['soft hyphen as the separator of a bare valid number', '121212\u00AD1212'],
  ['NBSP inside', '121212\u00A01212'],
  ['NBSP around the dash', '121212\u00A0-\u00A01212'],
  ['narrow NBSP inside the date', '12\u202F12\u202F12-1212'],
  ['thin space', '100315\u20092386'],
  ['ideographic space', '100315\u30002386'],
  ['two spaces around the dash', '100315  -  2386'],
  ['tab', '100315\t2386'],
  // In sentences.
  ['in a sentence', 'Gäller 100315-2386'],
  ['in a sentence, 12 digits', 'Eleven (pnr 20100315-2386) har hög frånvaro.'],
  ['after "pnr:"', 'pnr:121212-1212'],
  ['glued to a word', 'personnummer121212-1212'],
  ['at the end of a sentence', 'Barnets personnummer är 121212-1212.'],
  ['in parentheses', 'Pojken (100315-2386) går i åk 9.'],
  ['on the second line', 'Uppföljning 15/3 kl 13\nBarnet 100315-2386 ska med.'],
  ['after a phone number', 'Ring 070-123 45 67 ang. 100315-2386'],
  ['after an ordinary date', 'Möte 2026-03-15: 121212-1212'],
  ['with letters right after', '100315-2386abc'],
  ['spaced date in a sentence', 'Gäller 10 03 15-2386 i Luleå'],
  ['samordningsnummer in a sentence', 'Samordningsnummer 100375-2386 enligt Migrationsverket.'],
  ['full-width in a sentence', 'Gäller \uFF11\uFF10\uFF10\uFF13\uFF11\uFF15-\uFF12\uFF13\uFF18\uFF16 tack'],
  ['en dash in a sentence', 'Flickan 100315\u20132386 har hög frånvaro'],
];

describe('personnummer guard: every format is refused', () => {
  it.each(REFUSED)('%s: %j', (_format, text) => {
    expect(containsPersonalIdentityNumber(text)).toBe(true);
  });
});

describe('personnummer guard: normalisation', () => {
  it('turns Unicode dashes, spaces, invisible characters and digits into plain ASCII', () => {
    expect(normaliseForGuard('\uFF11\u0662\u20133\u2011\u2212\u00A0\u202F4\u200B5\u00AD6')).toBe('12-3-- 456');
  });
});

/** The ordinary set: Swedish sentences professionals write in Teams, none with a personnummer. */
function ordinarySentences(): string[] {
  return readFileSync(join(__dirname, '../fixtures/ordinary-sv.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('personnummer guard: ordinary Swedish text', () => {
  it('refuses under 1 % of the ordinary sentences', () => {
    const sentences = ordinarySentences();
    expect(sentences.length).toBeGreaterThanOrEqual(300);
    const refused = sentences.filter(containsPersonalIdentityNumber);
    const rate = refused.length / sentences.length;
    expect(rate, `refused ${refused.length} of ${sentences.length}: ${JSON.stringify(refused)}`).toBeLessThan(0.01);
  });
});

describe('personnummer mask (a refused text shown back to its writer)', () => {
  const MASK = 'ÅÅMMDD-XXXX';

  it.each(REFUSED)('%s: masked, the words around it kept, nothing left to find', (_format, number) => {
    const masked = maskPersonalIdentityNumbers(`Flickan ${number} har hög frånvaro`, MASK);
    expect(containsPersonalIdentityNumber(masked)).toBe(false);
    // One mask where the number stood; no fallback masking every digit.
    expect(masked.split(MASK)).toHaveLength(2);
    expect(masked.startsWith('Flickan ')).toBe(true);
    expect(masked).toContain('har hög frånvaro');
  });

  it('replaces exactly the number, and every one of them, keeping line breaks, spacing and other numbers', () => {
    expect(maskPersonalIdentityNumbers('Flickan 121212-1212 har hög frånvaro', MASK)).toBe('Flickan ÅÅMMDD-XXXX har hög frånvaro');
    expect(maskPersonalIdentityNumbers('Möte 2026-03-12 kl 13:00\n\nBror  19121212-1212, syster 7010632391.', MASK)).toBe(
      'Möte 2026-03-12 kl 13:00\n\nBror  ÅÅMMDD-XXXX, syster ÅÅMMDD-XXXX.',
    );
    expect(maskPersonalIdentityNumbers('Ring 0920-123456 om 1212121213', MASK)).toBe('Ring 0920-123456 om 1212121213');
    expect(maskPersonalIdentityNumbers('12\u200B1212\u2013\uFF11212 x', MASK)).toBe('ÅÅMMDD-XXXX x');
  });

  it('leaves a text without a number as it is', () => {
    for (const text of ['', 'Ökande frånvaro och sömnsvårigheter', 'NB-2026-0007', 'Sunderby skola, konferensrum 2']) {
      expect(maskPersonalIdentityNumbers(text, MASK)).toBe(text);
    }
  });
});
