import { organisationOf, type CommitmentParty } from './parties';
import { isWordOrSlip, tokens, type Token } from './text';

/**
 * Professions that perform interventions. Some say which organisation they work for (a
 * specialpedagog works in school, a distriktssköterska in primary care, a familjebehandlare in
 * social services); others (kurator, psykolog, läkare) work everywhere and name no party.
 */
const ROLES: Array<{ party: CommitmentParty | null; stems: string[]; alsoIntervention?: boolean }> = [
  {
    party: 'skola',
    stems: [
      'specialpedagog', 'speciallarare', 'mentor', 'larare', 'klasslarare', 'amneslarare', 'rektor', 'skolkurator',
      'skolskoterska', 'skolsyster', 'skollakare', 'skolpsykolog', 'elevassistent', 'syv', 'studievagledare',
      'elevcoach', 'resurslarare', 'forskollarare', 'barnskotare', 'fritidspedagog', 'idrottslarare',
    ],
  },
  { party: 'socialtjanst', stems: ['socialsekreterare', 'familjebehandlare', 'familjepedagog', 'faltassistent', 'familjehemssekreterare'] },
  { party: 'primarvard', stems: ['distriktsskoterska', 'distriktslakare', 'huslakare', 'dsk'] },
  {
    party: null,
    stems: [
      'kurator', 'psykolog', 'lakare', 'barnlakare', 'psykiater', 'sjukskoterska', 'skoterska', 'arbetsterapeut',
      'fysioterapeut', 'sjukgymnast', 'logoped', 'dietist', 'terapeut', 'samtalsterapeut', 'behandlare', 'handlaggare',
      'assistent', 'boendestodjare', 'dr', 'doktor', 'fritidsledare', 'coach',
    ],
  },
  /** A support person is also an intervention ("Soc: kontaktperson 1 g/v"); only "av/med/hos kontaktperson" names a performer. */
  { party: null, stems: ['kontaktperson', 'resursperson', 'stodperson'], alsoIntervention: true },
];

/** Definite and plural endings a profession can carry: kurator(n), specialpedagog(en), familjebehandlar(na). */
const ENDINGS = ['', 'n', 'en', 'na', 'erna', 'arna', 'er', 'ar', 'r', 's', 'ns', 'ens'];

export interface RoleMention {
  party: CommitmentParty | null;
  alsoIntervention: boolean;
  start: number;
  end: number;
}

function simpleRoleOf(word: string): (typeof ROLES)[number] | null {
  for (const role of ROLES) {
    for (const stem of role.stems) {
      if (ENDINGS.some((ending) => word === stem + ending)) return role;
      if (stem.length >= 8 && ENDINGS.some((ending) => isWordOrSlip(word, stem + ending))) return role;
    }
  }
  return null;
}

/** Professions that also make compounds: "idrottslärare", "BVC-sköterskan", "HC-läkaren", "BUP-psykolog". */
const COMPOUND_HEADS = /(larare|skoterska|lakare|pedagog|kurator|psykolog|terapeut|assistent|sekreterare|behandlare|handlaggare)(?:n|en|na|erna|arna|r|s|ns|ens)?$/;

/**
 * The profession a folded word names: a profession, or a compound ending in one. An organisation
 * before the hyphen gives the party ("BVC-sköterskan" works in primary care).
 */
function roleOf(word: string): { party: CommitmentParty | null; alsoIntervention?: boolean } | null {
  const simple = simpleRoleOf(word);
  if (simple) return simple;
  const hyphen = word.lastIndexOf('-');
  if (hyphen > 0) {
    const head = roleOf(word.slice(hyphen + 1));
    if (!head || head.alsoIntervention) return null;
    return { party: organisationOf(word.slice(0, hyphen)) ?? head.party };
  }
  const compound = COMPOUND_HEADS.exec(word);
  if (compound && compound.index >= 3) {
    const head = simpleRoleOf(word.slice(compound.index));
    if (head) return head;
  }
  return null;
}

/** The profession named by a token, if any. */
export function roleAt(token: Token): RoleMention | null {
  const role = roleOf(token.word);
  return role ? { party: role.party, alsoIntervention: role.alsoIntervention ?? false, start: token.start, end: token.end } : null;
}

/** Every profession named in a folded text, in order. */
export function roleMentions(folded: string): RoleMention[] {
  return tokens(folded).flatMap((t) => roleAt(t) ?? []);
}
