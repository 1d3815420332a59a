/**
 * PartitionKey and RowKey may not contain / \ # ? or control characters and are at most 1 KiB.
 * Teams ids (`19:abc@thread.tacv2`, `a:1x…`) are kept readable: letters, digits and `-_.:@=;`
 * pass through, anything else becomes `~` and two hex digits per UTF-8 byte.
 */
const SAFE = /[A-Za-z0-9\-_.:@=;]/;
const MAX_KEY_LENGTH = 512;

export class KeyTooLongError extends Error {
  constructor(readonly length: number) {
    super(`Table key too long after encoding (${length} > ${MAX_KEY_LENGTH} characters)`);
    this.name = 'KeyTooLongError';
  }
}

export function encodeKey(value: string): string {
  let out = '';
  for (const char of value) {
    if (SAFE.test(char)) {
      out += char;
    } else {
      for (const byte of Buffer.from(char, 'utf8')) out += `~${byte.toString(16).padStart(2, '0')}`;
    }
  }
  if (out.length > MAX_KEY_LENGTH) throw new KeyTooLongError(out.length);
  return out;
}

export function decodeKey(key: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < key.length; ) {
    if (key[i] === '~') {
      bytes.push(parseInt(key.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(...Buffer.from(key[i], 'utf8'));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
