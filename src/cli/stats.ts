import { configuredStore } from './configuredStore';
import { loadConfig } from '../config/config';
import { computeYear } from '../domain/indicators';
import { MUNICIPALITIES, parseMunicipality } from '../domain/municipality';
import { foldName } from '../domain/county';
import { loadYear, toCsv, toHtml, toJson, withLansdelar } from '../stats';
import { sv } from '../texts/sv';
import { echoable, parseFlags, UsageError, type CliCommand } from './command';

const FORMATS = ['csv', 'json', 'html'] as const;

/**
 * `norrbus stats --year <YYYY> [--kommun <namn>] [--format csv|json|html]`: the follow-up
 * indicators of a year (meetings whose consent date is in the year), for the county and each
 * municipality, or for one municipality; small counts suppressed. Written to stdout.
 */
export const stats: CliCommand = {
  name: 'stats',
  summary: 'skriver årets uppföljningsindikatorer (CSV, JSON eller HTML)',
  usage: [
    'norrbus stats --year <ÅÅÅÅ> [--kommun <namn> | --lansdel <namn>] [--format csv|json|html]',
    '  Uppföljningsindikatorer för möten med samtycke under året, för länet, varje länsdel och varje',
    '  kommun (eller en kommun med --kommun, en länsdel och dess kommuner med --lansdel), per kön och',
    '  åldersgrupp. Antal 1–4 visas som "<5". Länsdelarna är de i LANSDELAR (env/README.md).',
    '  --year    året, t.ex. 2026',
    '  --kommun  en av Norrbottens 14 kommuner (stora/små bokstäver och å/ä/ö spelar ingen roll)',
    '  --lansdel en länsdel, med namn eller id (t.ex. "Södra länsdelen" eller sodra)',
    '  --format  csv (standard), json eller html (en fristående sida med diagram)',
    '  Läser samma konfiguration som boten (NORRBUS_ENV, STORAGE_CONNECTION_STRING eller STORAGE_ACCOUNT_NAME).',
  ].join('\n'),

  async run(args, io) {
    const { help, values } = parseFlags(args, ['year', 'kommun', 'format', 'lansdel'] as const);
    if (help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    if (values.year === undefined) throw new UsageError(sv.stats.usage.missingYear);
    // A bad value is shown back only when it is short and holds no personnummer (see `echoable`).
    if (!/^\d{4}$/.test(values.year) || Number(values.year) < 2000 || Number(values.year) > 2100) {
      const shown = echoable(values.year);
      throw new UsageError(shown === undefined ? '--year måste vara ett årtal, t.ex. 2026 (invalid --year)' : sv.stats.usage.badYear(shown));
    }
    const year = Number(values.year);
    const format = values.format ?? 'csv';
    if (!(FORMATS as readonly string[]).includes(format)) {
      const shown = echoable(format);
      throw new UsageError(shown === undefined ? '--format måste vara csv, json eller html (invalid --format)' : sv.stats.usage.badFormat(shown));
    }
    const municipality = values.kommun === undefined ? undefined : parseMunicipality(values.kommun);
    if (values.kommun !== undefined && !municipality) {
      const shown = echoable(values.kommun);
      throw new UsageError(shown === undefined ? '--kommun: okänd kommun. Ange en av Norrbottens 14 kommuner (unknown municipality)' : sv.stats.usage.badMunicipality(shown));
    }

    if (values.lansdel !== undefined && municipality) throw new UsageError(sv.stats.usage.kommunOrLansdel);

    const config = loadConfig();
    const lansdel = values.lansdel === undefined ? undefined : config.county.lansdelar.find((l) => l.id === values.lansdel || foldName(l.name) === foldName(values.lansdel!));
    if (values.lansdel !== undefined && !lansdel) throw new UsageError(sv.stats.usage.badLansdel(config.county.lansdelar.map((l) => l.name).join(', ')));
    const store = await configuredStore(config, sv.stats.usage.noStorage);
    const data = await loadYear(store, year, municipality);
    // One municipality: only it. One länsdel: it and its municipalities. Else the county, the länsdelar and every municipality.
    const report = municipality
      ? computeYear(data, { municipalities: [municipality], county: false })
      : lansdel
        ? withLansdelar(data, computeYear(data, { municipalities: [...lansdel.municipalities], county: false }), config.county, [lansdel])
        : withLansdelar(data, computeYear(data, { municipalities: [...MUNICIPALITIES], county: true }), config.county);
    io.stdout.write(format === 'json' ? toJson(report) : format === 'html' ? toHtml(report) : toCsv(report));
    return 0;
  },
};
