import { COUNTY, GROUPS, suppress, type GroupKey, type Shown } from '../domain/indicators';
import { isMunicipality } from '../domain/municipality';
import type { CountyReport } from './lansdel';
import { sv } from '../texts/sv';

/**
 * The follow-up indicators as CSV, JSON and a self-contained HTML page. Every figure goes through
 * `suppress` (domain/indicators.ts) here, so nothing below 5 leaves the program.
 */

const t = sv.stats;

function partyName(key: string): string {
  return (sv.party as Record<string, string>)[key] ?? key;
}

function kindName(key: string): string {
  return (sv.deviation.kind as Record<string, string>)[key] ?? key;
}

/** The Swedish description of an indicator id. */
export function indicatorLabel(id: string): string {
  const l = t.indicator;
  const parts = id.split('.');
  if (parts[0] === 'meetings' && parts[1] === 'byConvener') return l['meetings.byConvener'](partyName(parts[2]));
  if (parts[0] === 'answers') return l[`answers.${parts[2]}` as 'answers.rate'](partyName(parts[1]));
  if (parts[0] === 'commitments' && parts.length === 3) return parts[2] === 'count' ? l['commitments.count'](partyName(parts[1])) : l['commitments.partyDoneOnTime'](partyName(parts[1]));
  if (parts[0] === 'deviations' && parts[1] === 'kind') return l['deviations.kind'](kindName(parts.slice(2).join('.')));
  if (parts[0] === 'deviations' && parts[1] === 'party') return l['deviations.party'](partyName(parts[2]));
  const direct = (l as Record<string, unknown>)[id];
  return typeof direct === 'string' ? direct : id;
}

export function groupLabel(group: GroupKey): string {
  if (group === 'alla') return t.group.alla;
  if (group.startsWith('kön:')) return `${t.group.kön}: ${(sv.gender as Record<string, string>)[group.slice(4)]}`;
  return `${t.group.ålder}: ${t.ageBand(group.slice(6))}`;
}

function scopeLabel(scope: string): string {
  return scope === COUNTY ? t.county : scope;
}

/** The shown figures: scope → group → indicator id → value. */
export interface ShownReport {
  year: number;
  asOf: string;
  suppression: string;
  scopes: { scope: string; groups: Record<GroupKey, Record<string, Shown>> }[];
}

export function shownReport(report: CountyReport): ShownReport {
  return {
    year: report.year,
    asOf: report.asOf,
    suppression: t.suppressionNote,
    scopes: report.scopes.map((s) => ({
      scope: s.scope,
      groups: Object.fromEntries(GROUPS.map((g) => [g, Object.fromEntries(Object.entries(s.groups[g]).map(([id, m]) => [id, suppress(m)]))])) as Record<
        GroupKey,
        Record<string, Shown>
      >,
    })),
  };
}

export function toJson(report: CountyReport): string {
  return `${JSON.stringify(shownReport(report), null, 2)}\n`;
}

function csvField(value: string): string {
  return /[",\r\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function shownText(value: Shown): string {
  return value === null ? '' : String(value);
}

/**
 * One row per scope, group and indicator: `kommun,grupp,indikator,beskrivning,värde` (RFC 4180,
 * UTF-8, comma-separated). Shares are fractions (0.85), medians working days, "<5" suppressed and
 * empty when there is nothing to compute from.
 */
export function toCsv(report: CountyReport): string {
  const rows = [t.csvHeader.join(',')];
  for (const s of shownReport(report).scopes) {
    for (const g of GROUPS) {
      for (const [id, value] of Object.entries(s.groups[g])) {
        rows.push([s.scope, g, id, indicatorLabel(id), shownText(value)].map(csvField).join(','));
      }
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function isShare(id: string): boolean {
  return /\.(within5|within10|rate|doneOnTime|allThreeParties|analysedInTime)$/.test(id);
}

function display(id: string, value: Shown): string {
  if (value === null) return '–';
  if (value === '<5') return '&lt;5';
  if (isShare(id)) return `${Math.round(value * 100)}&nbsp;%`;
  return String(value).replace('.', ',');
}

/** A horizontal bar chart as inline SVG; suppressed bars are drawn as "<5" with no bar. */
function barChart(title: string, bars: { label: string; value: Shown }[], percent: boolean): string {
  const rowHeight = 24;
  const labelWidth = 170;
  const barWidth = 300;
  const height = bars.length * rowHeight + 8;
  const numbers = bars.map((b) => (typeof b.value === 'number' ? b.value : 0));
  const max = percent ? 1 : Math.max(1, ...numbers);
  const rows = bars
    .map((b, i) => {
      const y = i * rowHeight + 4;
      const width = typeof b.value === 'number' ? Math.max(1, Math.round((b.value / max) * barWidth)) : 0;
      const text = b.value === null ? '–' : b.value === '<5' ? '&lt;5' : percent ? `${Math.round(b.value * 100)} %` : String(b.value);
      const bar = width > 0 && b.value !== 0 ? `<rect x="${labelWidth}" y="${y + 3}" width="${width}" height="${rowHeight - 8}" rx="2" class="bar"/>` : '';
      return `<text x="${labelWidth - 8}" y="${y + rowHeight / 2 + 4}" text-anchor="end">${escapeHtml(b.label)}</text>${bar}<text x="${labelWidth + width + 6}" y="${y + rowHeight / 2 + 4}" class="value">${text}</text>`;
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(title)}" width="${labelWidth + barWidth + 60}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}">${rows}</svg></figure>`;
}

const SUMMARY = [
  'meetings.initiated',
  'meetings.held',
  'meetings.cancelled',
  'consentToSummons.median',
  'consentToSummons.within5',
  'summonsToMeeting.median',
  'summonsToMeeting.within10',
  'meetings.allThreeParties',
  'commitments.doneOnTime',
  'deviations.total',
];

const SECTIONS: { title: string; prefix: RegExp }[] = [
  { title: t.sections.meetings, prefix: /^meetings\./ },
  { title: t.sections.time, prefix: /^(consentToSummons|summonsToMeeting)\./ },
  { title: t.sections.answers, prefix: /^answers\./ },
  { title: t.sections.commitments, prefix: /^commitments\./ },
  { title: t.sections.deviations, prefix: /^deviations\./ },
];

function summaryTable(caption: string, rows: { label: string; values: Record<string, Shown> }[]): string {
  const head = `<tr><th>${escapeHtml(caption)}</th>${SUMMARY.map((id) => `<th>${escapeHtml(indicatorLabel(id))}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr><th>${escapeHtml(r.label)}</th>${SUMMARY.map((id) => `<td>${display(id, r.values[id] ?? null)}</td>`).join('')}</tr>`).join('');
  return `<table class="summary"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/**
 * The report as one HTML page with its styles and charts inline: it loads nothing from anywhere.
 * The first scope (the county, in a county-wide report) is shown in full; the others in a table.
 */
export function toHtml(report: CountyReport): string {
  const shown = shownReport(report);
  const main = shown.scopes[0];
  const others = shown.scopes.slice(1);
  // The charts compare municipalities; the länsdelar are rows of the table.
  const municipalities = others.filter((s) => isMunicipality(s.scope));
  const all = main?.groups.alla ?? {};
  const genders = GROUPS.filter((g) => g.startsWith('kön:'));
  const ages = GROUPS.filter((g) => g.startsWith('ålder:'));
  const charts: string[] = [];
  if (main) {
    if (others.length > 0) {
      charts.push(barChart(t.charts.initiatedByMunicipality, municipalities.map((s) => ({ label: s.scope, value: s.groups.alla['meetings.initiated'] })), false));
      charts.push(barChart(t.charts.within10ByMunicipality, municipalities.map((s) => ({ label: s.scope, value: s.groups.alla['summonsToMeeting.within10'] })), true));
    }
    charts.push(barChart(t.charts.initiatedByGender, genders.map((g) => ({ label: groupLabel(g).replace(/^[^:]+: /, ''), value: main.groups[g]['meetings.initiated'] })), false));
    charts.push(barChart(t.charts.initiatedByAge, ages.map((g) => ({ label: groupLabel(g).replace(/^[^:]+: /, ''), value: main.groups[g]['meetings.initiated'] })), false));
    const parties = Object.keys(all).filter((id) => /^answers\.[a-z]+\.rate$/.test(id));
    charts.push(barChart(t.charts.answerRateByParty, parties.map((id) => ({ label: partyName(id.split('.')[1]), value: all[id] })), true));
  }
  const detail = SECTIONS.map((section) => {
    const ids = Object.keys(all).filter((id) => section.prefix.test(id));
    const rows = ids.map((id) => `<tr><th>${escapeHtml(indicatorLabel(id))}</th><td>${display(id, all[id])}</td></tr>`).join('');
    return `<section><h3>${escapeHtml(section.title)}</h3><table class="detail"><tbody>${rows}</tbody></table></section>`;
  }).join('');
  const title = `${t.title(report.year)}${main ? ` – ${scopeLabel(main.scope)}` : ''}`;
  return `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: "Segoe UI", system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #1b1b1b; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 2px solid #3b5ea8; padding-bottom: .2rem; } h3 { margin: 1rem 0 .3rem; }
.note { color: #444; max-width: 60rem; } .charts { display: flex; flex-wrap: wrap; gap: 1rem 2rem; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
svg text { font-size: 12px; fill: #1b1b1b; } svg text.value { fill: #333; } svg .bar { fill: #3b5ea8; }
table { border-collapse: collapse; font-size: .85rem; } th, td { border: 1px solid #ccd; padding: .25rem .5rem; text-align: left; } td { text-align: right; }
table.summary tbody th { white-space: nowrap; }
table.summary thead th { background: #eef1f8; vertical-align: bottom; font-weight: 600; max-width: 9rem; }
.details { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 0 2rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="note">${escapeHtml(t.asOf(report.asOf))}</p>
<p class="note">${escapeHtml(t.suppressionNote)}</p>
<div class="charts">${charts.join('')}</div>
${others.length > 0 ? `<h2>${escapeHtml(t.sections.municipalities)}</h2>${summaryTable(t.column.scope, [...(main ? [{ label: scopeLabel(main.scope), values: main.groups.alla }] : []), ...others.map((s) => ({ label: s.scope, values: s.groups.alla }))])}` : ''}
${main ? `<h2>${escapeHtml(t.sections.gender)}</h2>${summaryTable(t.group.kön, genders.map((g) => ({ label: groupLabel(g).replace(/^[^:]+: /, ''), values: main.groups[g] })))}` : ''}
${main ? `<h2>${escapeHtml(t.sections.age)}</h2>${summaryTable(t.group.ålder, ages.map((g) => ({ label: groupLabel(g).replace(/^[^:]+: /, ''), values: main.groups[g] })))}` : ''}
<h2>${escapeHtml(main ? scopeLabel(main.scope) : '')}</h2>
<div class="details">${detail}</div>
</body>
</html>
`;
}

