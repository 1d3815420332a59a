import { DateTime } from 'luxon';
import { addWorkingDays, ZONE } from '../../src/domain/calendar';
import { GENDERS, SUMMONABLE_PARTIES, type ConveningParty, type Gender, type SummonableParty } from '../../src/domain/meeting';
import { MUNICIPALITIES, type Municipality } from '../../src/domain/municipality';
import type { Commitment } from '../../src/store/commitmentRepository';
import type { Deviation } from '../../src/store/deviationRepository';
import type { Meeting } from '../../src/store/meetingRepository';
import type { Store } from '../../src/store/store';

/** Stored records for the follow-up tests, as the bot writes them. */

export interface SeedMeeting {
  n: number;
  municipality: Municipality;
  convener?: ConveningParty;
  summoned: SummonableParty[];
  gender?: Gender;
  age?: number;
  consentDate: string;
  /** The day the summonses were posted (10:00 Stockholm time). */
  summonsDate: string;
  /** Answers: party → the day it answered. */
  answered?: Partial<Record<SummonableParty, string>>;
  state?: Meeting['state'];
  fixedDate?: string;
  followsUp?: string;
}

const at = (date: string, time = '10:00') => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toUTC().toISO()!;
const actor = { id: 'u-1', name: 'Handläggare' };

export function meetingId(n: number): string {
  return `m${n.toString(16).padStart(16, '0')}`;
}

export function storedMeeting(s: SeedMeeting): Meeting {
  const reference = (id: string) => ({ conversation: { id }, channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/_connector' });
  const time = `${addWorkingDays(s.summonsDate, 8)}T13:00`;
  const answers: Meeting['answers'] = {};
  for (const [party, day] of Object.entries(s.answered ?? {})) {
    answers[party as SummonableParty] = { kind: 'attend', participant: 'Deltagare med mandat', times: [time], by: actor, at: at(day!, '14:30') };
  }
  const summons: Meeting['summons'] = {};
  for (const party of s.summoned) {
    summons[party] = {
      tenantId: 't',
      teamId: 'team',
      channelId: `19:${party}@thread.tacv2`,
      serviceUrl: 'http://127.0.0.1:9/_connector',
      conversationReference: reference(`19:${party}@thread.tacv2`),
      threadId: `19:${party}@thread.tacv2;messageid=${s.n}`,
      sentAt: at(s.summonsDate, '10:01'),
    };
  }
  const state = s.state ?? (s.fixedDate ? 'fixed' : 'summoning');
  return {
    id: meetingId(s.n),
    state,
    intake: {
      municipality: s.municipality,
      convener: s.convener ?? 'skola',
      summoned: s.summoned,
      caseReference: `NB-${s.n}`,
      age: s.age ?? 14,
      gender: s.gender ?? 'flicka',
      purpose: 'Samlad bild och plan',
      urgent: false,
      consent: { date: s.consentDate, from: ['vardnadshavare'], parties: s.summoned },
      proposedTimes: [time],
      place: 'Konferensrum',
      placedOutsideHome: false,
    },
    answers,
    ...(state === 'fixed' && s.fixedDate ? { fixedTime: `${s.fixedDate}T13:00`, fixation: { at: at(s.summonsDate, '16:00'), by: actor } } : {}),
    ...(state === 'cancelled' ? { cancellation: { reason: 'Inställt', at: at(s.summonsDate, '16:00'), by: actor } } : {}),
    createdAt: at(s.summonsDate),
    createdBy: actor,
    deadlines: { summonsDue: addWorkingDays(s.consentDate, 5), meetingDue: addWorkingDays(s.summonsDate, 10), replyBy: addWorkingDays(s.summonsDate, 3) },
    convener: { conversationId: `19:convener@thread.tacv2;messageid=${s.n}`, statusActivityId: '1', conversationReference: reference('19:convener@thread.tacv2') },
    summons,
    pending: [],
    plan: {},
    reminderRefs: [],
    ...(s.followsUp ? { followsUp: s.followsUp } : {}),
    planCards: {},
    effects: [],
  };
}

export function storedCommitment(meeting: string, k: number, party: SummonableParty, followUpDate: string | undefined, status: Commitment['status'], updatedDate: string): Commitment {
  return {
    meetingId: meeting,
    id: `c${k.toString(16).padStart(16, '0')}`,
    party,
    intervention: 'Anpassad studieplan',
    scope: '2 h/vecka',
    performer: 'Specialpedagog',
    ...(followUpDate ? { followUpDate } : {}),
    status,
    createdAt: at('2025-01-02'),
    createdBy: actor,
    updatedAt: at(updatedDate, '11:00'),
    updatedBy: actor,
    effects: [],
  };
}

export function storedDeviation(municipality: Municipality, k: number, kind: Deviation['kind'], party: SummonableParty | undefined, createdDate: string, meeting?: string): Deviation {
  return {
    municipality,
    id: `d${k.toString(16).padStart(12, '0')}`,
    ...(meeting ? { meetingId: meeting } : {}),
    kind,
    ...(party ? { party } : {}),
    deadline: createdDate,
    daysLate: 1,
    status: 'draft',
    createdAt: at(createdDate, '09:00'),
    createdBy: { id: 'u-1' },
  } as Deviation;
}

/** A small pseudo-random generator (mulberry32) with a fixed seed. */
export function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  return { next, int, pick };
}

async function inBatches<T>(items: T[], fn: (item: T) => Promise<unknown>, size = 16): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/**
 * A county's year 2025 in the store: `count` meetings over the municipalities (Luleå and Piteå many,
 * Arjeplog one), with answers, commitments and deviations. Returns what was stored.
 */
export async function seedCountyYear(store: Store, count = 160): Promise<{ meetings: Meeting[]; commitments: Commitment[]; deviations: Deviation[] }> {
  const r = generator(7);
  const weights: Partial<Record<Municipality, number>> = { Luleå: 10, Piteå: 7, Boden: 5, Kiruna: 4, Gällivare: 3, Kalix: 3, Arjeplog: 0 };
  const places = MUNICIPALITIES.flatMap((m) => Array<Municipality>(weights[m] ?? 1).fill(m));
  const meetings: Meeting[] = [];
  for (let n = 1; n <= count; n++) {
    const convener = r.pick(['skola', 'socialtjanst', 'primarvard'] as const);
    const summoned = SUMMONABLE_PARTIES.filter((p) => p !== convener && (p === 'specialistvard' ? r.next() < 0.15 : r.next() < 0.85));
    if (summoned.length === 0) summoned.push(convener === 'skola' ? 'socialtjanst' : 'skola');
    const consentDate = DateTime.fromISO('2025-01-07').plus({ days: r.int(0, 320) }).toISODate()!;
    const summonsDate = addWorkingDays(consentDate, r.int(0, 8));
    const answered: SeedMeeting['answered'] = {};
    for (const p of summoned) if (r.next() < 0.85) answered[p] = addWorkingDays(summonsDate, r.int(0, 5));
    const roll = r.next();
    meetings.push(
      storedMeeting({
        n,
        municipality: r.pick(places),
        convener,
        summoned,
        gender: r.pick(GENDERS),
        age: r.int(0, 20),
        consentDate,
        summonsDate,
        answered,
        state: roll < 0.75 ? 'fixed' : roll < 0.85 ? 'cancelled' : 'summoning',
        fixedDate: roll < 0.75 ? addWorkingDays(summonsDate, r.int(3, 16)) : undefined,
        followsUp: r.next() < 0.1 && n > 1 ? meetingId(n - 1) : undefined,
      }),
    );
  }
  meetings.push(storedMeeting({ n: count + 1, municipality: 'Arjeplog', summoned: ['socialtjanst', 'primarvard'], consentDate: '2025-03-03', summonsDate: '2025-03-04', fixedDate: '2025-03-12' }));
  const commitments: Commitment[] = [];
  let k = 0;
  for (const m of meetings) {
    if (m.state !== 'fixed') continue;
    for (let i = r.int(0, 3); i > 0; i--) {
      const followUp = addWorkingDays(m.fixedTime!.slice(0, 10), r.int(10, 40));
      const status = r.pick(['planned', 'started', 'done', 'done', 'done'] as const);
      commitments.push(storedCommitment(m.id, ++k, r.pick(SUMMONABLE_PARTIES), followUp, status, addWorkingDays(followUp, r.int(-8, 3))));
    }
  }
  const deviations: Deviation[] = [];
  for (let i = 1; i <= 30; i++) {
    const m = r.pick(meetings);
    const kind = r.pick(['summonsNotAnswered', 'meetingNotInTime', 'commitmentNotDone', 'summonsNotSent'] as const);
    deviations.push(storedDeviation(m.intake.municipality, i, kind, r.pick(m.intake.summoned), m.deadlines.meetingDue, m.id));
  }
  await inBatches(meetings, (m) => store.meetings.create(m));
  await inBatches(commitments, (c) => store.commitments.create(c));
  await inBatches(deviations, (d) => store.deviations.create(d));
  return { meetings, commitments, deviations };
}
