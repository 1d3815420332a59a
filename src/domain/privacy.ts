/**
 * The privacy guard: finds Swedish personal identity numbers (personnummer) and coordination
 * numbers (samordningsnummer, day + 60) in free text, so the text can be refused before it is
 * stored, posted or logged. A match needs a plausible date and a valid Luhn check digit.
 */

// 6 or 8 date digits, an optional separator (-, +, space), 4 digits; not inside a longer number.
const CANDIDATE = /(?<!\d)(\d{2})?(\d{2})(\d{2})(\d{2})\s?[-+]?\s?(\d{3})(\d)(?!\d)/g;

function luhnValid(nineDigits: string, check: number): boolean {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === check;
}

function plausibleDate(month: number, day: number): boolean {
  const calendarDay = day > 60 ? day - 60 : day;
  return month >= 1 && month <= 12 && calendarDay >= 1 && calendarDay <= 31;
}

/** True when the text holds a personnummer or samordningsnummer in any common format. */
export function containsPersonalIdentityNumber(text: string): boolean {
  for (const match of text.matchAll(CANDIDATE)) {
    const [, century, year, month, day, serial, check] = match;
    if (century && !['18', '19', '20'].includes(century)) continue;
    if (!plausibleDate(Number(month), Number(day))) continue;
    if (luhnValid(`${year}${month}${day}${serial}`, Number(check))) return true;
  }
  return false;
}
