import { describe, expect, it } from 'vitest';
import { readCommitments } from '../../../src/domain/commitment';
import { organisationOf } from '../../../src/domain/commitment/parties';
import { roleMentions } from '../../../src/domain/commitment/roles';
import { fold } from '../../../src/domain/commitment/text';

const partyOf = (text: string) => readCommitments(text, '2026-03-12')[0]?.party ?? null;

describe('party synonyms', () => {
  it.each([
    ['Skolan', 'skola'], ['skola', 'skola'], ['Elevhälsan', 'skola'], ['elevhalsan', 'skola'], ['EHT', 'skola'],
    ['Förskolan', 'skola'], ['Gymnasiet', 'skola'],
    ['Socialtjänsten', 'socialtjanst'], ['socialtjansten', 'socialtjanst'], ['Soc', 'socialtjanst'], ['IFO', 'socialtjanst'],
    ['Socialförvaltningen', 'socialtjanst'], ['Socialtjänsen', 'socialtjanst'],
    ['Hälsocentralen', 'primarvard'], ['halsocentralen', 'primarvard'], ['Halsocentarlen', 'primarvard'], ['Vårdcentralen', 'primarvard'],
    ['HC', 'primarvard'], ['VC', 'primarvard'], ['Primärvården', 'primarvard'], ['BVC', 'primarvard'], ['Ungdomsmottagningen', 'primarvard'],
    ['BUP', 'specialistvard'], ['Barnhabiliteringen', 'specialistvard'], ['Habiliteringen', 'specialistvard'],
    ['Barnkliniken', 'specialistvard'], ['Vuxenpsykiatrin', 'specialistvard'],
  ])('%s names %s', (word, party) => expect(organisationOf(fold(word))).toBe(party));

  it.each(['skolskjuts', 'social', 'hc2', 'bupp', 'vård', 'kurator', 'sociala'])('%s names no organisation', (word) =>
    expect(organisationOf(fold(word))).toBeNull(),
  );

  it.each([
    ['Rektor ansvarar för skolskjuts', 'skola'],
    ['Kurator på skolan: stödsamtal', 'skola'],
    ['Specialpedagog gör en kartläggning', 'skola'],
    ['Socialsekreterare Jonas: utredning', 'socialtjanst'],
    ['Familjebehandlare Anna träffar familjen', 'socialtjanst'],
    ['Distriktssköterska Leila: sömnskola', 'primarvard'],
    ['Distriktsläkare Berg gör en utredning', 'primarvard'],
    ['Barn- och ungdomspsykiatrin ansvarar för utredning', 'specialistvard'],
    ['BUP-utredning', 'specialistvard'],
    ['Hälsocentralen Hertsön gör sömnutredning', 'primarvard'],
    ['Läxhjälp 2 h/v, mentor', 'skola'],
  ])('a profession or a full name gives the party: %s → %s', (text, party) => expect(partyOf(text)).toBe(party));

  it.each(['Kurator: stödsamtal', 'Psykolog: samtal 6 ggr', 'Stödsamtal med läkare'])('a profession found everywhere names no party: %s', (text) =>
    expect(partyOf(text)).toBeNull(),
  );

  it('the explicit responsible party wins over the first one named', () => {
    expect(partyOf('Remiss till BUP, HC ansvarar')).toBe('primarvard');
    expect(partyOf('Remiss till BUP skrivs av distriktsläkare')).toBe('primarvard');
    expect(partyOf('Insats: stödsamtal med kurator. Ansvarig: elevhälsan')).toBe('skola');
    expect(partyOf('Familjebehandling, utförs av familjebehandlare, ansvar: skolan')).toBe('skola');
  });

  it('knows the professions, in their definite forms too', () => {
    expect(roleMentions(fold('specialpedagogen och skolsköterskan')).map((r) => r.party)).toEqual(['skola', 'skola']);
    expect(roleMentions(fold('kuratorn')).map((r) => r.party)).toEqual([null]);
  });
});

describe('one message, several commitments', () => {
  it('gives one commitment per line, bullet or numbered item, and skips headings', () => {
    const read = readCommitments('Åtaganden:\n- Skolan: läxhjälp\n• Soc: stödsamtal\n* HC: sömnråd\n1. BUP: utredning\n2) VC: läkarbesök\n\n', '2026-03-12');
    expect(read.map((c) => [c.party, c.intervention])).toEqual([
      ['skola', 'läxhjälp'],
      ['socialtjanst', 'stödsamtal'],
      ['primarvard', 'sömnråd'],
      ['specialistvard', 'utredning'],
      ['primarvard', 'läkarbesök'],
    ]);
  });

  it('gives the lines under a party heading that party', () => {
    const read = readCommitments('Soc:\n- föräldrastöd\n- BUP: utredning', '2026-03-12');
    expect(read.map((c) => c.party)).toEqual(['socialtjanst', 'specialistvard']);
  });

  it('splits a line of several sentences that each start with a party', () => {
    expect(readCommitments('Skolan: läxhjälp. Soc: familjebehandling', '2026-03-12').map((c) => c.party)).toEqual(['skola', 'socialtjanst']);
    expect(readCommitments('Skolan ansvarar för läxhjälp. Uppföljning v 14', '2026-03-12')).toHaveLength(1);
  });

  it('gives nothing for an empty message and exactly five keys for each commitment', () => {
    expect(readCommitments('  \n\n', '2026-03-12')).toEqual([]);
    expect(Object.keys(readCommitments('Skolan: läxhjälp', '2026-03-12')[0]).sort()).toEqual(
      ['followUpDate', 'intervention', 'party', 'performer', 'scope'],
    );
  });
});

describe('the parties and professions of issue #14', () => {
  it.each([
    ['Öppenvården', 'socialtjanst'], ['öppenvården', 'socialtjanst'], ['Öppenvård', 'socialtjanst'], ['IFO', 'socialtjanst'],
    ['BVC', 'primarvard'], ['HC', 'primarvard'], ['vårdcentral', 'primarvard'], ['BUP', 'specialistvard'],
  ])('%s names %s', (word, party) => expect(organisationOf(fold(word))).toBe(party));

  it.each([
    ['Familjebehandling via kommunens öppenvård', 'socialtjanst'],
    ['IFO utreder enligt 11:1 SoL', 'socialtjanst'],
    ['mentor ansvarar för läxhjälp', 'skola'],
    ['Mentorn ringer hem', 'skola'],
    ['förskollärare arbetar med bildstöd', 'skola'],
    ['BVC-sköterskan gör hembesök', 'primarvard'],
    ['HC-läkaren skriver remiss', 'primarvard'],
    ['BUP-psykologen gör testning', 'specialistvard'],
    ['idrottslärare anpassar idrotten', 'skola'],
  ])('%s → %s', (text, party) => expect(partyOf(text)).toBe(party));

  it('knows professions in compounds, with and without articles', () => {
    const words = (text: string) => roleMentions(fold(text)).map((m) => fold(text).slice(m.start, m.end));
    expect(words('BVC-sköterskan och förskolläraren')).toEqual(['bvc-skoterskan', 'forskollararen']);
    expect(words('skolsköterska, kurator, specialpedagog, elevassistent, familjebehandlare, socialsekreterare, psykolog, läkare, distriktsläkare, sjuksköterska')).toHaveLength(10);
    expect(words('MI-samtal och kuratorskontakt')).toEqual([]);
  });

  it('a shared commitment gives one per party; a party that receives does not share it', () => {
    expect(readCommitments('BUP och skolan: gemensam kartläggning', '2026-03-12').map((c) => c.party)).toEqual(['specialistvard', 'skola']);
    expect(readCommitments('HC och BUP – samordnad läkemedelsgenomgång', '2026-03-12').map((c) => c.party)).toEqual(['primarvard', 'specialistvard']);
    expect(readCommitments('HC: remiss till BUP och barnkliniken', '2026-03-12').map((c) => c.party)).toEqual(['primarvard']);
  });
});
