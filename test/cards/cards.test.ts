import { describe, expect, it } from 'vitest';
import { CARD_ROUTES } from '../../src/bot/app';
import { channelsCard } from '../../src/cards/channelsCard';
import { deviationCard, deviationFormCard } from '../../src/cards/deviationCards';
import { forumDigestCard, lansdelDigestCard } from '../../src/cards/forumDigestCard';
import { disagreementCard, disagreementFormCard } from '../../src/cards/disagreementCards';
import { helpCard } from '../../src/cards/helpCard';
import { intakeCard } from '../../src/cards/intakeCard';
import { statusCard, summonsCard } from '../../src/cards/meetingCards';
import { noticeCard } from '../../src/cards/noticeCard';
import { commitmentConfirmCard, nothingFurtherCard, planCard } from '../../src/cards/planCard';
import { registerApprovalCard, registerCard, registerReplaceCard } from '../../src/cards/registerCard';
import { reminderCard } from '../../src/cards/reminderCard';
import type { AdaptiveCardJson } from '../../src/cards/render';
import { REMINDER_KINDS, type ReminderKind } from '../../src/domain/reminders';
import type { Deviation } from '../../src/store/deviationRepository';
import type { Disagreement } from '../../src/store/disagreementRepository';
import type { Meeting } from '../../src/store/meetingRepository';
import type { Reminder } from '../../src/store/reminderRepository';
import { sv } from '../../src/texts/sv';
import { storedCommitment, storedDeviation, storedMeeting } from '../stats/seed';

const summoning = storedMeeting({ n: 1, municipality: 'Luleå', summoned: ['socialtjanst', 'primarvard'], consentDate: '2026-03-02', summonsDate: '2026-03-02', answered: { socialtjanst: '2026-03-03' } });
const fixed = storedMeeting({ n: 2, municipality: 'Luleå', summoned: ['socialtjanst', 'primarvard'], consentDate: '2026-03-02', summonsDate: '2026-03-02', answered: { socialtjanst: '2026-03-03', primarvard: '2026-03-04' }, fixedDate: '2026-03-12' });
const cancelled = storedMeeting({ n: 3, municipality: 'Luleå', summoned: ['socialtjanst'], consentDate: '2026-03-02', summonsDate: '2026-03-02', state: 'cancelled' });
const closed: Meeting = { ...fixed, closure: { reason: 'insatserGenomforda', at: '2026-05-01T08:00:00.000Z', by: { id: 'u-1' } } };
const declined: Meeting = { ...summoning, answers: { ...summoning.answers, primarvard: { kind: 'decline', reason: 'Ingen kontakt med familjen', by: { id: 'u-2' }, at: '2026-03-04T09:00:00.000Z' } } };
/** Fixed at a time no party chose ("Ny tid: passar den?" open), and then one party said it does not fit. */
const moved: Meeting = { ...fixed, fixedTime: '2026-03-14T10:00' };
const notFitting: Meeting = { ...moved, timeAnswers: { socialtjanst: { time: '2026-03-14T10:00', fits: false, by: { id: 'u-2' }, at: '2026-03-05T09:00:00.000Z' } } };
const MEETINGS = { summoning, fixed, cancelled, closed, declined, moved, notFitting };
const commitments = [storedCommitment(fixed.id, 1, 'skola', '2026-04-20', 'planned', '2026-03-12'), storedCommitment(fixed.id, 2, 'socialtjanst', undefined, 'done', '2026-03-20')];

const DATED: ReminderKind[] = ['followUpMeeting', 'healthExaminationUpcoming', 'healthExaminationDeviation', 'costSharingUpcoming', 'costSharingDeviation'];
const reminder = (kind: ReminderKind): Reminder => ({ meetingId: fixed.id, kind, thread: 'convener', dueDate: '2026-04-20', subject: kind.startsWith('commitment') ? commitments[0].id : DATED.includes(kind) ? '2026-06-01' : 'socialtjanst', attempts: 0 });
/** A plan with every role and an acute placement: the school coordinates, social services answers for the SIP. */
const planned: Meeting = {
  ...fixed,
  plan: {
    coordinator: 'skola',
    coordinatorName: 'kurator',
    planOwner: 'socialtjanst',
    planOwnerName: 'socialsekreterare',
    sip: true,
    placement: { acute: true, decidedOn: '2026-03-12', healthExaminationBy: '2026-03-20' },
  },
  held: { parties: ['skola', 'socialtjanst'], youngPerson: true, guardians: [true, false], viewRecorded: true, at: '2026-03-12T14:00:00.000Z', by: { id: 'u-1' } },
};

const deviation = (status: Deviation['status']): Deviation => ({
  ...storedDeviation('Luleå', 1, 'summonsNotAnswered', 'primarvard', '2026-03-10', fixed.id),
  status,
  reference: 'AV-2026-0001',
  whatHappened: 'Kallelsen besvarades inte.',
  reportedAt: '2026-03-10T09:00:00.000Z',
  reportedBy: { id: 'u-1', party: 'skola' },
  analysisDue: '2026-05-09',
  ...(status === 'analysed' || status === 'closed' ? { analysis: { cause: 'Semester', measures: 'Ersättare', at: '2026-03-20T09:00:00.000Z', by: { id: 'u-2' } } } : {}),
  posts: {},
});

const disagreement = (status: Disagreement['status'], level: Disagreement['level']): Disagreement => ({
  municipality: 'Luleå',
  id: 'o000000000001',
  meetingId: fixed.id,
  caseReference: fixed.intake.caseReference,
  reference: 'OE-2026-0001',
  parties: ['skola', 'socialtjanst'],
  question: 'Vem bekostar skolskjutsen',
  level,
  status,
  createdAt: '2026-03-12T09:00:00.000Z',
  createdBy: { id: 'u-1' },
  escalations: [],
  steps: level === 'samverkansstruktur' ? [{ party: 'skola', level: 'rektor', at: '2026-03-13T09:00:00.000Z', by: { id: 'u-1' } }, { party: 'socialtjanst', level: 'enhetschef', at: '2026-03-14T09:00:00.000Z', by: { id: 'u-2' } }] : [],
  ...(status === 'resolved' ? { resolution: { text: 'Kommunen bekostar', at: '2026-03-20T09:00:00.000Z', by: { id: 'u-1' } } } : {}),
  posts: {},
});

/** Every card the bot renders, in every state it can be in, by name. */
function everyCard(): [string, AdaptiveCardJson][] {
  const cards: [string, AdaptiveCardJson][] = [
    ['help', helpCard()],
    ['register', registerCard()],
    ['register with error', registerCard({ municipality: 'Luleå', party: 'skola', error: 'Välj både kommun och part.' })],
    ['register-replace', registerReplaceCard({ municipality: 'Luleå', party: 'skola', replacesChannelId: '19:x', question: 'Byta?' })],
    ['register-replace of a forum area', registerReplaceCard({ municipality: 'Luleå', party: 'forum', forumArea: 'Råneå', replacesChannelId: '19:x', question: 'Byta?' })],
    ['register-approval', registerApprovalCard({ municipality: 'Luleå', party: 'skola', requestId: 'r000000000001', question: 'Godkänna?' })],
    ['register with a forum area', registerCard({ municipality: 'Luleå', party: 'forum', forumArea: 'Råneå' })],
    ['channels with areas and the länsdel', channelsCard('Luleå', [{ party: 'forum', registeredAt: '2026-03-01T09:00:00Z', channelName: 'Forum' }, { party: 'forum', forumArea: 'Råneå', registeredAt: '2026-03-01T09:00:00Z' }, { party: 'skola', forumArea: 'Råneå', registeredAt: '2026-03-01T09:00:00Z' }], { name: 'Södra länsdelen' })],
    ['forum-digest of an area', forumDigestCard({ municipality: 'Luleå', area: 'Råneå', month: 'juni 2026', openDeviations: [], lateMeetings: [], overdueCommitments: [] })],
    ['länsdel digest', lansdelDigestCard({ lansdel: 'Södra länsdelen', quarter: 'kvartal 3 2026', previousQuarter: 'kvartal 2 2026', openDeviations: [{ kind: 'other', party: 'skola', reference: 'AV-2026-0001', municipality: 'Luleå' }], reportedLastQuarter: 1, analysedLastQuarter: 0, lateMeetings: [{ municipality: 'Luleå', count: 0 }] })],
    ['notice', noticeCard('Klart', 'Detalj', 'good')],
    ['intake', intakeCard({ values: {} })],
    ['intake with problems', intakeCard({ values: { municipality: 'Luleå', convener: 'skola' }, problems: [{ field: 'age', code: 'invalid' }], general: 'Rätta det markerade.' })],
    ['channels', channelsCard('Luleå', [])],
    ['commitment-confirm', commitmentConfirmCard(fixed, { party: 'skola', intervention: 'Läxhjälp' })],
    ['commitment-confirm, two, one saved', commitmentConfirmCard(fixed, [{ party: 'skola', intervention: 'Läxhjälp' }, { party: 'primarvard', intervention: 'Sömnutredning' }], '', [1])],
    ['plan in the convener\'s thread', planCard(fixed, commitments, { thread: 'convener' })],
    ['plan in a party\'s thread', planCard(fixed, commitments, { thread: 'socialtjanst' })],
    ['plan with a party without intervention', planCard({ ...fixed, plan: { nothingFurther: ['primarvard'] } }, commitments, { thread: 'convener' })],
    ['nothing-further', nothingFurtherCard(fixed, 'primarvard')],
    ['plan as a snapshot', planCard(fixed, commitments, { snapshotAt: new Date('2026-03-20T09:00:00Z') })],
    ['plan with error', planCard(fixed, commitments, { thread: 'convener' }, 'Fel')],
    ['plan with SIP roles and an acute placement', planCard(planned, commitments, { thread: 'convener' })],
    ['plan with a placement, in primary care\'s thread', planCard({ ...planned, intake: { ...planned.intake, summoned: ['socialtjanst', 'primarvard'] } }, commitments, { thread: 'primarvard' })],
    ['plan with a school samordnare and no planansvarig', planCard({ ...fixed, plan: { coordinator: 'skola' } }, commitments, { thread: 'convener' })],
    ['status with "Mötet hölls" recorded', statusCard(planned)],
    ['status of a young adult\'s meeting', statusCard({ ...fixed, intake: { ...fixed.intake, age: 19 } })],
    ['reminder, every kind', reminderCard(fixed, REMINDER_KINDS.map(reminder), commitments, '2026-04-21')],
    ['status on the reply-by day, a party silent', statusCard(summoning, '', new Date('2026-03-20T09:00:00Z'))],
    ['deviation-form', deviationFormCard({ municipality: 'Luleå' })],
    ['deviation-form from a draft', deviationFormCard({ municipality: 'Luleå', kind: 'summonsNotAnswered', party: 'primarvard' }, 'd000000000001')],
    ['disagreement-form', disagreementFormCard({ id: fixed.id, caseReference: 'NB-2', parties: ['skola', 'socialtjanst'] })],
  ];
  for (const [state, meeting] of Object.entries(MEETINGS)) {
    cards.push([`status (${state})`, statusCard(meeting)], [`summons (${state})`, summonsCard(meeting, 'socialtjanst')], [`summons to the decliner (${state})`, summonsCard(meeting, 'primarvard')]);
  }
  for (const status of ['new', 'analysing', 'analysed', 'closed'] as const) {
    cards.push([`deviation ${status} (forum)`, deviationCard(deviation(status), 'forum')], [`deviation ${status} (party)`, deviationCard(deviation(status), 'party')]);
    cards.push([`deviation ${status} (länsdel)`, deviationCard(deviation(status), 'lansdel', '', '', 'Södra länsdelen')], [`deviation ${status} (reporter)`, deviationCard(deviation(status), 'reporter', '', 'Registrerad.', 'Södra länsdelen')]);
  }
  const reported: Deviation = { ...deviation('analysed'), countyReports: [{ at: '2026-03-21T09:00:00.000Z', by: { id: 'u-1', party: 'skola' }, status: 'analysed', decisions: 'Rutinen ses över' }] };
  cards.push(['deviation reported to Samverkansstruktur (reporter)', deviationCard(reported, 'reporter', '', '', 'Södra länsdelen')], ['deviation reported to Samverkansstruktur (forum)', deviationCard(reported, 'forum')]);
  for (const [status, level] of [['open', 'management'], ['open', 'samverkansstruktur'], ['resolved', 'management']] as const) {
    cards.push(
      [`disagreement ${status} ${level} (forum)`, disagreementCard(disagreement(status, level), 'forum')],
      [`disagreement ${status} ${level} (meeting)`, disagreementCard(disagreement(status, level), 'meeting')],
      [`disagreement ${status} ${level} (party)`, disagreementCard(disagreement(status, level), 'party', '', '', 'skola')],
    );
  }
  return cards;
}

/** Every object in a card, depth first. */
function* nodes(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) for (const n of node) yield* nodes(n);
  else if (node && typeof node === 'object') {
    yield node as Record<string, unknown>;
    for (const v of Object.values(node)) yield* nodes(v);
  }
}

/**
 * Every card checked by construction: rendered with its typed model in every state, none may show
 * a template placeholder, an empty label or title, a button whose verb has no route, or weigh more
 * than Teams takes (28 KB).
 */
describe('every card, in every state', () => {
  const cards = everyCard();
  const verbs = new Set(Object.keys(CARD_ROUTES));

  it.each(cards)('%s: no placeholder, no empty label, every verb routed, under 28 KB', (_name, card) => {
    const json = JSON.stringify(card);
    expect(json).not.toContain('${');
    expect(Buffer.byteLength(json)).toBeLessThan(28 * 1024);
    for (const node of nodes(card)) {
      if (typeof node.type === 'string' && node.type.startsWith('Input.') && 'label' in node) expect(String(node.label).trim(), JSON.stringify(node).slice(0, 120)).not.toBe('');
      if (typeof node.type === 'string' && node.type.startsWith('Action.')) expect(String(node.title ?? '').trim(), JSON.stringify(node).slice(0, 120)).not.toBe('');
      if (node.type === 'Action.Execute') expect(verbs, String(node.verb)).toContain(node.verb);
      if (node.type === 'TextBlock') expect(String(node.text ?? '').trim(), JSON.stringify(node).slice(0, 120)).not.toBe('');
    }
  });
});

describe('the plan card', () => {
  const textsOf = (card: AdaptiveCardJson) => [...nodes(card)].flatMap((n) => [n.text, n.title, n.value, n.label].filter((v): v is string => typeof v === 'string'));
  const verbs = (card: AdaptiveCardJson) => [...nodes(card)].filter((n) => n.type === 'Action.Execute').map((n) => `${n.verb}:${(n.data as { step?: string })?.step ?? ''}`);

  it('states the samordnare and planansvarig by party and role, whether it is a SIP, and the placement\'s steps', () => {
    const texts = textsOf(planCard(planned, commitments, { thread: 'convener' }));
    expect(texts).toEqual(expect.arrayContaining(['Skola – kurator', 'Socialtjänst – socialsekreterare', sv.plan.sip, sv.meeting.yes, sv.plan.placementAcute, sv.plan.healthExaminationDue('20 mars'), sv.plan.costSharingDue('26 mars')]));
    expect(textsOf(planCard({ ...fixed, plan: { coordinator: 'skola' } }, commitments, { thread: 'convener' }))).toContain(sv.plan.planOwnerMissing);
    expect(textsOf(planCard({ ...fixed, plan: { coordinator: 'primarvard' } }, commitments, { thread: 'convener' }))).not.toContain(sv.plan.planOwnerMissing);
  });

  it('gives the health examination\'s button to primary care\'s thread and the cost sharing\'s to social services\'', () => {
    const withPrimaryCare: Meeting = { ...planned, intake: { ...planned.intake, summoned: ['socialtjanst', 'primarvard'] } };
    expect(verbs(planCard(withPrimaryCare, commitments, { thread: 'primarvard' }))).toContain('placementStep:healthExamination');
    expect(verbs(planCard(withPrimaryCare, commitments, { thread: 'socialtjanst' }))).toContain('placementStep:costSharing');
    expect(verbs(planCard(withPrimaryCare, commitments, { thread: 'convener' })).filter((v) => v.startsWith('placementStep'))).toEqual([]);
    const done = { ...withPrimaryCare, plan: { ...withPrimaryCare.plan, placement: { ...withPrimaryCare.plan.placement!, healthExaminationDoneOn: '2026-03-18' } } };
    expect(verbs(planCard(done, commitments, { thread: 'primarvard' }))).not.toContain('placementStep:healthExamination');
  });
});

describe('"Mötet hölls" on the status card', () => {
  const inputs = (card: AdaptiveCardJson) => [...nodes(card)].filter((n) => typeof n.id === 'string').map((n) => n.id);

  it('asks for each guardian under 18 only, and shows what was recorded, yes or no', () => {
    expect(inputs(statusCard(fixed))).toEqual(expect.arrayContaining(['heldParties', 'youngPerson', 'guardian1', 'guardian2', 'viewRecorded']));
    const adult = inputs(statusCard({ ...fixed, intake: { ...fixed.intake, age: 19 } }));
    expect(adult).toEqual(expect.arrayContaining(['heldParties', 'youngPerson', 'viewRecorded']));
    expect(adult).not.toContain('guardian1');
    const recorded = [...nodes(statusCard(planned))].map((n) => n.text);
    expect(recorded).toContain(sv.meeting.heldSummary('Skola, Socialtjänst', 'ja', '1 av 2 deltog', 'ja'));
    expect(inputs(statusCard(summoning))).not.toContain('heldParties');
  });
});

describe('the plan card (follow-up and roles)', () => {
  it('offers every party of the meeting to convene the follow-up meeting, and only its social services and health care as planansvarig', () => {
    const withSpecialist: Meeting = { ...fixed, intake: { ...fixed.intake, summoned: ['socialtjanst', 'specialistvard'] } };
    const card = planCard(withSpecialist, commitments, { thread: 'convener' });
    const choiceSet = (id: string) => [...nodes(card)].find((n) => n.id === id) as { choices: { value: string }[] };
    expect(choiceSet('coordinator').choices.map((c) => c.value)).toContain('specialistvard');
    expect(choiceSet('followUpConvener').choices.map((c) => c.value)).toEqual(['skola', 'socialtjanst', 'specialistvard']);
    expect(choiceSet('planOwner').choices.map((c) => c.value)).toEqual(['socialtjanst', 'specialistvard']);
  });
});
