/** The 14 municipalities (kommuner) of Norrbotten that are party to the Norrbus agreement. */
export const MUNICIPALITIES = [
  'Arjeplog',
  'Arvidsjaur',
  'Boden',
  'Gällivare',
  'Haparanda',
  'Jokkmokk',
  'Kalix',
  'Kiruna',
  'Luleå',
  'Pajala',
  'Piteå',
  'Älvsbyn',
  'Överkalix',
  'Övertorneå',
] as const;

export type Municipality = (typeof MUNICIPALITIES)[number];

/** Folds case, Swedish diacritics and spacing so that "LULEA" and " luleå " compare equal. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const byFoldedName = new Map<string, Municipality>(MUNICIPALITIES.map((m) => [fold(m), m]));

/** The municipality a person meant, or undefined when the name is not one of the 14. */
export function parseMunicipality(text: string): Municipality | undefined {
  return byFoldedName.get(fold(text));
}

export function isMunicipality(value: unknown): value is Municipality {
  return typeof value === 'string' && (MUNICIPALITIES as readonly string[]).includes(value);
}
