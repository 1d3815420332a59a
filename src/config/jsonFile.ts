import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/**
 * A configuration file in JSON (the organisation directory, the länsdelar): read relative to the
 * project root and checked against its schema, every problem named in Swedish with where it is.
 */

/** zod's own messages for what a schema does not word itself, in Swedish. */
const swedishErrors: z.ZodErrorMap = (issue, ctx) => {
  if (issue.code === 'unrecognized_keys') return { message: `okända nycklar: ${issue.keys.join(', ')}` };
  if (issue.code === 'invalid_type') return { message: issue.received === 'undefined' ? 'saknas' : `ska vara ${issue.expected === 'array' ? 'en lista' : issue.expected === 'object' ? 'ett objekt' : 'text'}` };
  return { message: ctx.defaultError };
};

/** The parsed content, or its problems, each prefixed with the file's label and the path in it. */
export function parseConfigJson<S extends z.ZodTypeAny>(schema: S, json: unknown, label: string): { data: z.infer<S> } | { problems: string[] } {
  const result = schema.safeParse(json, { errorMap: swedishErrors });
  if (!result.success) return { problems: result.error.issues.map((i) => `${label}: ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`) };
  return { data: result.data };
}

/** The file's JSON, or why it could not be read. */
export function readConfigJson(relativePath: string, root: string, label: string): { json: unknown } | { problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path.resolve(root, relativePath), 'utf8');
  } catch {
    return { problems: [`${label}: filen finns inte eller kan inte läsas`] };
  }
  try {
    return { json: JSON.parse(text) };
  } catch {
    return { problems: [`${label}: filen är inte giltig JSON`] };
  }
}
