import { MUNICIPALITIES, type Municipality } from './municipality';
import type { Party } from './party';

/**
 * Who is who: each Microsoft 365 tenant that may use Norrbus is one organisation, and the
 * organisation decides which parties it may act as, in which municipalities. A municipality acts
 * as school and social services at home; Region Norrbotten as primary and specialist care in all
 * 14; either may hold the municipality's Forum barn och unga. Another provider (an independent
 * school) acts as what its entry says.
 */
export type OrganisationKind = 'kommun' | 'region' | 'annan';

/** A party an organisation may act as, and where. */
export interface Grant {
  party: Party;
  municipalities: readonly Municipality[];
}

export interface Organisation {
  tenantId: string;
  name: string;
  kind: OrganisationKind;
  grants: readonly Grant[];
}

/** What a municipality's and the Region's tenants may act as, unless configured otherwise. */
export function standardGrants(kind: Exclude<OrganisationKind, 'annan'>, municipality?: Municipality): Grant[] {
  if (kind === 'region') {
    return (['primarvard', 'specialistvard', 'forum'] as const).map((party) => ({ party, municipalities: MUNICIPALITIES }));
  }
  if (!municipality) throw new Error('a municipality organisation needs its municipality');
  return (['skola', 'socialtjanst', 'forum'] as const).map((party) => ({ party, municipalities: [municipality] }));
}

export function mayActAs(organisation: Organisation, party: Party, municipality: Municipality): boolean {
  return organisation.grants.some((g) => g.party === party && g.municipalities.includes(municipality));
}

/** The tenants that may use the bot, each an organisation; tenant ids compare without case. */
export class OrganisationDirectory {
  private readonly byTenant: Map<string, Organisation>;

  constructor(readonly organisations: readonly Organisation[]) {
    this.byTenant = new Map(organisations.map((o) => [o.tenantId.toLowerCase(), o]));
  }

  find(tenantId: string | undefined): Organisation | undefined {
    return tenantId ? this.byTenant.get(tenantId.toLowerCase()) : undefined;
  }

  get size(): number {
    return this.byTenant.size;
  }
}
