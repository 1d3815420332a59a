import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { foldName, LANSDEL_ID } from '../domain/county';
import { MUNICIPALITIES } from '../domain/municipality';
import { TableRepository } from './tableRepository';

const digestSchema = z.object({
  /** The forum's municipality (absent for a länsdel's digest). */
  municipality: z.enum(MUNICIPALITIES).optional(),
  /** The forum's area, when the municipality has several forums. */
  area: z.string().max(40).optional(),
  /** A länsdel's quarterly digest: the länsdel's id. */
  lansdel: z.string().regex(LANSDEL_ID).optional(),
  /** The period: `yyyy-MM` for a forum's monthly digest, `yyyy-Qn` for a länsdel's quarterly one. */
  month: z.string().regex(/^\d{4}-(\d{2}|Q[1-4])$/),
  status: z.enum(['sending', 'sent']),
  claimedUntil: z.string().datetime({ offset: true }).optional(),
  sentAt: z.string().datetime({ offset: true }).optional(),
}).refine((d) => (d.municipality === undefined) !== (d.lansdel === undefined), { message: 'a digest is of a forum or of a länsdel' });

/**
 * The digest of one forum for a month (or one länsdel's samverkansgrupp for a quarter): claimed by
 * one pass, then marked sent, so it goes out once however many instances run the pass.
 */
export type Digest = z.infer<typeof digestSchema>;

/** Keys: `Luleå`/`2026-06` as before; a forum of an area `Luleå`/`2026-06:ranea`; a länsdel `länsdel:sodra`/`2026-Q3`. */
export function digestKeys(digest: Pick<Digest, 'municipality' | 'area' | 'lansdel' | 'month'>): { partitionKey: string; rowKey: string } {
  if (digest.lansdel) return { partitionKey: `länsdel:${digest.lansdel}`, rowKey: digest.month };
  return { partitionKey: digest.municipality ?? '', rowKey: digest.area ? `${digest.month}:${foldName(digest.area)}` : digest.month };
}

export class DigestRepository extends TableRepository<Digest> {
  constructor(table: TableClient) {
    super(table, digestSchema, 'Digest');
  }

  protected keysOf(value: Digest) {
    return digestKeys(value);
  }
}
