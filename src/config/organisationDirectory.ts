import { z } from 'zod';
import { MUNICIPALITIES } from '../domain/municipality';
import { OrganisationDirectory, standardGrants, type Organisation } from '../domain/organisation';
import { PARTIES } from '../domain/party';
import { parseConfigJson, readConfigJson } from './jsonFile';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const tenantId = z.string({ required_error: 'tenantId saknas' }).regex(GUID, 'tenantId ska vara ett GUID');
const name = z.string({ required_error: 'name saknas' }).trim().min(1, 'name får inte vara tomt').max(100, 'name får vara högst 100 tecken');
const municipality = z.enum(MUNICIPALITIES, { errorMap: () => ({ message: 'municipality ska vara en av Norrbottens 14 kommuner' }) });
const grant = z
  .object({
    party: z.enum(PARTIES, { errorMap: () => ({ message: `party ska vara en av ${PARTIES.join(', ')}` }) }),
    municipalities: z.array(municipality).min(1, 'municipalities får inte vara tom'),
  })
  .strict();

const entry = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('kommun'), tenantId, name, municipality }).strict(),
    z.object({ kind: z.literal('region'), tenantId, name }).strict(),
    z.object({ kind: z.literal('annan'), tenantId, name, acts: z.array(grant).min(1, 'acts ska ange minst en part') }).strict(),
  ],
  { errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union_discriminator' ? 'kind ska vara kommun, region eller annan' : ctx.defaultError }) },
);

const file = z
  .object({ $comment: z.unknown().optional(), organisations: z.array(entry) })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.organisations.forEach((o, i) => {
      const id = o.tenantId.toLowerCase();
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['organisations', i, 'tenantId'], message: 'samma tenantId finns två gånger' });
      seen.add(id);
    });
  });

function toOrganisation(value: z.infer<typeof entry>): Organisation {
  const base = { tenantId: value.tenantId.toLowerCase(), name: value.name, kind: value.kind };
  if (value.kind === 'annan') return { ...base, grants: value.acts };
  return { ...base, grants: standardGrants(value.kind, value.kind === 'kommun' ? value.municipality : undefined) };
}

/** Problems in a directory file, each naming where, in Swedish; none means the directory is usable. */
export function parseOrganisationDirectory(json: unknown, label: string): { directory: OrganisationDirectory } | { problems: string[] } {
  const parsed = parseConfigJson(file, json, label);
  return 'problems' in parsed ? parsed : { directory: new OrganisationDirectory(parsed.data.organisations.map(toOrganisation)) };
}

/** Reads the directory named by ORGANISATION_DIRECTORY (a path relative to the project root). */
export function readOrganisationDirectory(relativePath: string, root: string): { directory: OrganisationDirectory } | { problems: string[] } {
  const label = `ORGANISATION_DIRECTORY (${relativePath})`;
  const read = readConfigJson(relativePath, root, label);
  return 'problems' in read ? read : parseOrganisationDirectory(read.json, label);
}
