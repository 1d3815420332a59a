/**
 * The privacy guard: finds Swedish personal identity numbers (personnummer) and coordination
 * numbers (samordningsnummer, day + 60) in free text, so the text can be refused before it is
 * stored, posted or logged.
 *
 * The text is normalised first (Unicode dashes and spaces, invisible characters, full-width and
 * other Unicode digits), so "121212‑1212" with a non-breaking hyphen or "１２１２１２-１２１２" is
 * caught like the plain form. Then:
 * - a plausible date (month 1–12, day 1–31 or 61–91, century 18/19/20 when given) followed by a
 *   separator (- or +, or a single space after a compact date) and four digits is refused whatever
 *   its check digit: a mistyped number identifies the child just as well. The date may have spaces
 *   inside ("12 12 12-1212").
 * - a bare run of 10 or 12 digits (or one spaced only as "YY MM DD NNNN") is refused only when its
 *   Luhn check digit is valid too, so that phone numbers, amounts and order numbers pass.
 * Call it on the whole text, before any truncation.
 */

const CENTURY = '(?:18|19|20)';
const MONTH = '(?:0[1-9]|1[0-2])';
const DAY = '(?:0[1-9]|[12]\\d|3[01]|6[1-9]|[78]\\d|9[01])';
/** Not inside a longer number, and not the time of an ISO basic timestamp (20260315T080512+0100). */
const START = '(?<!\\d)(?<!\\dT)';
const END = '(?!\\d)';

/** Date, separator, serial: refused on the shape alone. */
const SEPARATED = new RegExp(
  [
    // (CC)YYMMDD-NNNN, (CC)YYMMDD+NNNN, spaces allowed inside the date and around the separator.
    `${START}(?:${CENTURY} ?)?\\d\\d ?${MONTH} ?${DAY} ?[-+] ?\\d{4}${END}`,
    // (CC)YYMMDD NNNN: a compact date, one space, the serial.
    `${START}(?:${CENTURY})?\\d\\d${MONTH}${DAY} \\d{4}${END}`,
  ].join('|'),
);

/** No separator (or only spaces between the two-digit groups): refused only with a valid check digit. */
const BARE_10 = new RegExp(`${START}(\\d\\d) ?(${MONTH}) ?(${DAY}) ?(\\d{4})${END}`, 'y');
const BARE_12 = new RegExp(`${START}${CENTURY} ?(\\d\\d) ?(${MONTH}) ?(${DAY}) ?(\\d{4})${END}`, 'y');

/** Unicode dashes and minus signs that people (or their keyboards) put in a personnummer. */
const DASHES = /[\p{Pd}\u2212\u2796\u02D7\u2043\uFE58\uFE63\uFF0D]/gu;
/** Invisible characters: zero-width space/joiners, word joiner, BOM, soft hyphen, bidi controls… */
const INVISIBLE = /[\p{Cf}\u034F\u115F\u1160\u3164\uFFA0]/gu;
const SPACES = /[\s\p{Zs}]+/gu;
const DECIMAL_DIGIT = /\p{Nd}/u;
const NON_ASCII_DIGIT = /(?![0-9])\p{Nd}/gu;

/** A Unicode decimal digit as its ASCII digit: Unicode assigns them in runs of ten, 0 to 9. */
function asciiDigit(digit: string): string {
  const code = digit.codePointAt(0)!;
  let zero = code;
  while (zero > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return String((code - zero) % 10);
}

/**
 * The text as the guard reads it: NFKC (full-width digits and signs, NBSP and other compatibility
 * spaces), invisible characters removed, every dash and minus as "-", every run of white space as
 * one space, every decimal digit as ASCII.
 */
export function normaliseForGuard(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(DASHES, '-')
    .replace(SPACES, ' ')
    .replace(NON_ASCII_DIGIT, asciiDigit);
}

/** Luhn over the ten digits YYMMDDNNNN: the last one is the check digit. */
function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

function bareWithValidCheckDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] < '0' || text[i] > '9' || (i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9')) continue;
    for (const pattern of [BARE_10, BARE_12]) {
      pattern.lastIndex = i;
      const match = pattern.exec(text);
      if (match && luhnValid(match.slice(1, 5).join(''))) return true;
    }
  }
  return false;
}

/** True when the text holds a personnummer or samordningsnummer in any common format. */
export function containsPersonalIdentityNumber(text: string): boolean {
  const normalised = normaliseForGuard(text);
  return SEPARATED.test(normalised) || bareWithValidCheckDigit(normalised);
}

/** Every place in the guard's normalised text where a personnummer or samordningsnummer stands. */
function numberRanges(normalised: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const match of normalised.matchAll(new RegExp(SEPARATED.source, 'g'))) ranges.push([match.index, match.index + match[0].length]);
  for (let i = 0; i < normalised.length; i++) {
    if (normalised[i] < '0' || normalised[i] > '9' || (i > 0 && normalised[i - 1] >= '0' && normalised[i - 1] <= '9')) continue;
    for (const pattern of [BARE_10, BARE_12]) {
      pattern.lastIndex = i;
      const match = pattern.exec(normalised);
      if (match && luhnValid(match.slice(1, 5).join(''))) ranges.push([i, i + match[0].length]);
    }
  }
  return ranges;
}

/** One code point as the guard reads it (see normaliseForGuard; runs of spaces are joined by the caller). */
function normaliseCodePoint(char: string): string {
  return char.normalize('NFKC').replace(INVISIBLE, '').replace(DASHES, '-').replace(SPACES, ' ').replace(NON_ASCII_DIGIT, asciiDigit);
}

/**
 * The text with every personnummer and samordningsnummer the guard finds replaced by `mask`, the
 * rest as it was written (line breaks, spacing, other digits): so a refused text can be shown back
 * to its writer without the number. The result never holds a number the guard would find; if
 * masking the found ones is not enough (a number only the whole text forms), every digit is masked.
 */
export function maskPersonalIdentityNumbers(text: string, mask: string): string {
  // The guard's normalisation, one code point at a time, remembering where each character came from.
  let normalised = '';
  const from: [number, number][] = [];
  let offset = 0;
  for (const char of text) {
    const end = offset + char.length;
    for (const out of normaliseCodePoint(char)) {
      if (out === ' ' && normalised.endsWith(' ')) {
        from[from.length - 1][1] = end;
        continue;
      }
      normalised += out;
      from.push([offset, end]);
    }
    offset = end;
  }
  const ranges = numberRanges(normalised)
    .map(([start, stop]) => [from[start][0], from[stop - 1][1]] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  let masked = '';
  let at = 0;
  for (const [start, stop] of ranges) {
    if (stop <= at) continue;
    masked += `${text.slice(at, Math.max(at, start))}${start >= at ? mask : ''}`;
    at = stop;
  }
  masked += text.slice(at);
  if (!containsPersonalIdentityNumber(masked)) return masked;
  return [...masked].map((char) => (/[0-9]/.test(normaliseCodePoint(char)) ? 'X' : char)).join('');
}
