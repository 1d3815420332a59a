/**
 * The next reference of a numbered series (`NB-2026-0007`, `AV-2026-0001`, `OE-2026-0003`): one
 * more than the highest number already taken with that prefix, four digits.
 */
export function nextReference(prefix: string, taken: string[]): string {
  const numbers = taken.filter((ref) => ref.startsWith(prefix)).map((ref) => Number(ref.slice(prefix.length))).filter(Number.isInteger);
  return `${prefix}${String(Math.max(0, ...numbers) + 1).padStart(4, '0')}`;
}
