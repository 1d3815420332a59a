import { MUNICIPALITIES, type Municipality } from './municipality';

/**
 * The county structure of the 2025 agreement ("Samverkansstrukturen"): Forum barn och unga at
 * municipal level (one or several per municipality, each for an area, område), a collaboration
 * group (samverkansgrupp) in each of the four länsdelar, and Samverkansstruktur målgrupp barn och
 * unga at county level. Which municipalities form which länsdel is configuration (LANSDELAR,
 * src/config/county.ts); DEFAULT_LANSDELAR is what applies when it is not set.
 */
export interface Lansdel {
  /** A short stable id (`sodra`), used in storage keys: renaming a länsdel keeps its id. */
  id: string;
  /** As people say it: "Södra länsdelen". */
  name: string;
  municipalities: readonly Municipality[];
}

export const LANSDEL_ID = /^[a-z][a-z0-9-]{0,29}$/;

/** Norrbotten's 14 municipalities in the four länsdelar. */
export const DEFAULT_LANSDELAR: readonly Lansdel[] = [
  { id: 'norra', name: 'Norra länsdelen', municipalities: ['Kiruna', 'Gällivare', 'Pajala'] },
  { id: 'ostra', name: 'Östra länsdelen', municipalities: ['Haparanda', 'Kalix', 'Överkalix', 'Övertorneå'] },
  { id: 'sodra', name: 'Södra länsdelen', municipalities: ['Luleå', 'Boden', 'Piteå', 'Älvsbyn'] },
  { id: 'vastra', name: 'Västra länsdelen', municipalities: ['Arjeplog', 'Arvidsjaur', 'Jokkmokk'] },
];

/** The länsdelar, each municipality in exactly one (checked when the configuration is read). */
export class County {
  private readonly byMunicipality: Map<Municipality, Lansdel>;

  constructor(readonly lansdelar: readonly Lansdel[] = DEFAULT_LANSDELAR) {
    this.byMunicipality = new Map(lansdelar.flatMap((l) => l.municipalities.map((m) => [m, l] as const)));
  }

  /** The länsdel of a municipality (every one of the 14 has one). */
  lansdelOf(municipality: Municipality): Lansdel {
    const found = this.byMunicipality.get(municipality);
    if (!found) throw new Error(`no länsdel for ${municipality}`);
    return found;
  }

  find(id: string | undefined): Lansdel | undefined {
    return this.lansdelar.find((l) => l.id === id);
  }
}

/** Every municipality in exactly one länsdel, ids and names unique: problems in Swedish, none when usable. */
export function countyProblems(lansdelar: readonly Lansdel[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const names = new Set<string>();
  const seen = new Map<Municipality, string>();
  for (const l of lansdelar) {
    if (ids.has(l.id)) problems.push(`länsdelen ${l.id} finns två gånger`);
    if (names.has(foldName(l.name))) problems.push(`namnet ${l.name} finns två gånger`);
    ids.add(l.id);
    names.add(foldName(l.name));
    for (const m of l.municipalities) {
      const other = seen.get(m);
      if (other) problems.push(`${m} ingår i både ${other} och ${l.name}`);
      else seen.set(m, l.name);
    }
  }
  for (const m of MUNICIPALITIES) if (!seen.has(m)) problems.push(`${m} ingår inte i någon länsdel`);
  return problems;
}

/** Folds case, diacritics and spacing: "Råneå" and " RANEA " are one area. */
export function foldName(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** An area (område) of a municipality's Forum barn och unga, as typed: letters, digits, spaces, '.', '-'. */
export const AREA_NAME = /^[\p{L}\p{N}][\p{L}\p{N} .-]{0,39}$/u;

export function sameArea(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && foldName(a) === foldName(b);
}

/**
 * Which of a municipality's Forum barn och unga a case or report goes to. The rule: the forum
 * registered for `area` (the forum area named on the convener's, or else the reporter's, intake
 * channel registration), else the municipality's forum registered without an area, else the first
 * of its forums by area name. A municipality with one forum has it for everything.
 */
export function chooseForum<T extends { party: string; forumArea?: string }>(registrations: readonly T[], area?: string): T | undefined {
  const forums = registrations.filter((r) => r.party === 'forum');
  const named = area ? forums.find((f) => sameArea(f.forumArea, area)) : undefined;
  if (named) return named;
  return forums.find((f) => !f.forumArea) ?? [...forums].sort((a, b) => foldName(a.forumArea ?? '').localeCompare(foldName(b.forumArea ?? ''), 'sv'))[0];
}

/** The quarter of a date, `2026-Q2`, and whether the date is in the first month of its quarter. */
export function quarterOf(isoDate: string): { quarter: string; firstMonth: boolean } {
  const month = Number(isoDate.slice(5, 7));
  return { quarter: `${isoDate.slice(0, 4)}-Q${Math.ceil(month / 3)}`, firstMonth: month % 3 === 1 };
}
