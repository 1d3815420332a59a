import { z } from 'zod';
import { County, countyProblems, LANSDEL_ID } from '../domain/county';
import { MUNICIPALITIES } from '../domain/municipality';
import { parseConfigJson, readConfigJson } from './jsonFile';

const municipality = z.enum(MUNICIPALITIES, { errorMap: () => ({ message: 'ska vara en av Norrbottens 14 kommuner, stavad som i listan (t.ex. Luleå, Övertorneå)' }) });
const lansdel = z
  .object({
    id: z.string({ required_error: 'id saknas' }).regex(LANSDEL_ID, 'id ska vara gemena a–z, siffror och bindestreck, högst 30 tecken (t.ex. sodra)'),
    name: z.string({ required_error: 'name saknas' }).trim().min(1, 'name får inte vara tomt').max(60, 'name får vara högst 60 tecken'),
    municipalities: z.array(municipality, { required_error: 'municipalities saknas' }).min(1, 'municipalities får inte vara tom'),
  })
  .strict();

const file = z
  .object({ $comment: z.unknown().optional(), lansdelar: z.array(lansdel, { required_error: 'lansdelar saknas' }).min(1, 'lansdelar får inte vara tom') })
  .strict()
  .superRefine((value, ctx) => {
    for (const message of countyProblems(value.lansdelar)) ctx.addIssue({ code: 'custom', path: ['lansdelar'], message });
  });

/** The county structure in a parsed JSON file, or its problems, each naming where, in Swedish. */
export function parseCounty(json: unknown, label: string): { county: County } | { problems: string[] } {
  const parsed = parseConfigJson(file, json, label);
  return 'problems' in parsed ? parsed : { county: new County(parsed.data.lansdelar) };
}

/**
 * The länsdelar named by LANSDELAR (a JSON file relative to the project root); without it the
 * default of src/domain/county.ts (which env/lansdelar.json repeats, to copy and change).
 */
export function readCounty(relativePath: string | undefined, root: string): { county: County } | { problems: string[] } {
  if (!relativePath) return { county: new County() };
  const label = `LANSDELAR (${relativePath})`;
  const read = readConfigJson(relativePath, root, label);
  return 'problems' in read ? read : parseCounty(read.json, label);
}
