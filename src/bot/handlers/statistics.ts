import { statisticsCard } from '../../cards/statisticsCard';
import { dateInStockholm } from '../../domain/calendar';
import { computeYear, COUNTY } from '../../domain/indicators';
import type { Municipality } from '../../domain/municipality';
import { loadYear } from '../../stats';
import { lansdelScope } from '../../stats/lansdel';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';

/**
 * `norrbus statistik [år] [kommun]`: the year's key follow-up indicators as a card. The municipality
 * defaults to the one this channel is registered for, else the county; the year to the current one
 * by the bot's clock. The figures are those of `norrbus stats` (loadYear + computeYear), suppressed.
 */
export async function showStatistics(turn: Turn, deps: BotDeps, year?: number, named?: Municipality): Promise<void> {
  const today = dateInStockholm(deps.clock());
  const wantedYear = year ?? Number(today.slice(0, 4));
  let municipality = named;
  const channelId = turn.place.channelId;
  const registration = !municipality && channelId ? (await deps.store.intakeChannels.findByChannel(channelId))[0] : undefined;
  // A länsdel's samverkansgrupp sees its länsdel; any other registered channel its municipality.
  const lansdel = registration?.party === 'lansdel' ? deps.config.county.find(registration.lansdel) : undefined;
  if (lansdel) {
    const scope = lansdelScope(await loadYear(deps.store, wantedYear, undefined, today), lansdel);
    await turn.sendCard(statisticsCard(wantedYear, today, lansdel.name, scope.groups.alla));
    return;
  }
  municipality ??= registration?.municipality;
  const data = await loadYear(deps.store, wantedYear, municipality, today);
  const report = computeYear(data, municipality ? { municipalities: [municipality], county: false } : { municipalities: [], county: true });
  const scope = report.scopes[0];
  await turn.sendCard(statisticsCard(report.year, report.asOf, municipality ?? COUNTY, scope.groups.alla));
}
