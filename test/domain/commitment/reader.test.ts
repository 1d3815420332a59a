import { describe, expect, it } from 'vitest';
import { readCommitments, readMessage } from '../../../src/domain/commitment';

const TODAY = '2026-03-12'; // a Thursday
const one = (text: string, today = TODAY) => {
  const read = readCommitments(text, today);
  expect(read).toHaveLength(1);
  return read[0];
};

describe('follow-up dates the reader used to miss', () => {
  it.each([
    ['Skolan: närvarostöd, uppföljning på torsdag', '2026-03-19'], // written on a Thursday: the next one
    ['HC: viktkontroll, uppf. på fredag', '2026-03-13'],
    ['Soc: samtal med pappa, uppföljning på onsdag nästa vecka', '2026-03-18'],
    ['Skolan: stödsamtal, uppf. torsdag v. 15', '2026-04-09'],
    ['Skolan: åtgärdsprogram, uppf. tisdag 14/4', '2026-04-14'],
    ['Skolan: anpassningar, uppföljning 15.4', '2026-04-15'],
    ['HC: provtagning, uppf. den 15:e', '2026-03-15'],
    ['Skolsköterskan: hälsosamtal, senast tisdag', '2026-03-17'],
  ])('%s → %s', (text, date) => expect(one(text).followUpDate).toBe(date));

  it('"klart till <date>" is the follow-up date, not the scope', () => {
    expect(one('Skolan: pedagogisk kartläggning, klart till 15/5')).toEqual({
      party: 'skola', intervention: 'pedagogisk kartläggning', scope: null, performer: null, followUpDate: '2026-05-15',
    });
    expect(one('soc utreder enl. 11:1 SoL, klart till 30/4').followUpDate).toBe('2026-04-30');
  });

  it('a weekday in a scope is no date', () => {
    expect(one('Mentor ringer hem varje fredag').followUpDate).toBeNull();
    expect(one('Skolan: läxhjälp på tisdagar efter skolan').followUpDate).toBeNull();
  });
});

describe('interventions', () => {
  it('keeps a law reference with its action', () => {
    expect(one('IFO utreder enligt 11:1 SoL')).toMatchObject({ party: 'socialtjanst', intervention: 'utreder enligt 11:1 SoL' });
    expect(one('Soc: ekonomiskt bistånd enligt 4 kap. 1 § SoL, handläggare')).toMatchObject({
      intervention: 'ekonomiskt bistånd enligt 4 kap. 1 § SoL', performer: 'handläggare', scope: null,
    });
    expect(one('Soc: kontaktperson enligt 9 § 4 LSS, uppf v. 17')).toMatchObject({ intervention: 'kontaktperson enligt 9 § 4 LSS', followUpDate: '2026-04-20' });
  });

  it('"uppföljning av …" that is what is done is the intervention', () => {
    expect(one('BUP: medicinsk uppföljning av ADHD-medicinering, läkare, uppf v 16')).toEqual({
      party: 'specialistvard', intervention: 'medicinsk uppföljning av ADHD-medicinering', scope: null, performer: 'läkare', followUpDate: '2026-04-13',
    });
    expect(one('BUP: uppföljning av medicinering, sjuksköterska')).toMatchObject({ intervention: 'uppföljning av medicinering', followUpDate: null });
    expect(one('Skolan: anpassningar, uppföljning av insatsen 15/4')).toMatchObject({ intervention: 'anpassningar', followUpDate: '2026-04-15' });
  });

  it('"två eftermiddagar i veckan" is all scope', () => {
    expect(one('Skolan: läxhjälp två eftermiddagar i veckan')).toMatchObject({ intervention: 'läxhjälp', scope: 'två eftermiddagar i veckan' });
  });

  it('a clause in which another party does something is a commitment of its own', () => {
    expect(readCommitments('BUP: depressionsbedömning, HC står för stödsamtal under tiden', TODAY)).toEqual([
      { party: 'specialistvard', intervention: 'depressionsbedömning', scope: null, performer: null, followUpDate: null },
      { party: 'primarvard', intervention: 'stödsamtal', scope: 'under tiden', performer: null, followUpDate: null },
    ]);
    // a party that is only named, or only follows up, is not
    expect(readCommitments('Sömnutredning, HC ansvarar, distriktsläkare Berg', TODAY)).toHaveLength(1);
    expect(readCommitments('Skolan: anpassningar, EHT följer upp v 14', TODAY)).toHaveLength(1);
  });
});

describe('performers and parties', () => {
  it.each([
    ['mentor ansvarar för kontakt med hemmet varje vecka', 'skola', 'mentor'],
    ['Mentorn ringer hem varje fredag', 'skola', 'Mentorn'],
    ['BVC-sköterskan: hembesök', 'primarvard', 'BVC-sköterskan'],
    ['BVC-sköterskan gör hembesök', 'primarvard', 'BVC-sköterskan'],
    ['HC: tillväxtkontroll hos BVC-sköterskan', 'primarvard', 'BVC-sköterskan'],
    ['Förskollärare ansvarar för bildschema', 'skola', 'Förskollärare'],
    ['förskollärare arbetar med bildstöd', 'skola', 'förskollärare'],
    ['Skolan: anpassad idrott, idrottslärare', 'skola', 'idrottslärare'],
    ['Skolsköterska: hälsobesök', 'skola', 'Skolsköterska'],
    ['Elevassistenten stöttar på raster', 'skola', 'Elevassistenten'],
    ['Distriktsläkaren gör en somatisk utredning', 'primarvard', 'Distriktsläkaren'],
    ['Socialsekreteraren gör en orosbedömning', 'socialtjanst', 'Socialsekreteraren'],
  ])('%s → %s, %s', (text, party, performer) => expect(one(text)).toMatchObject({ party, performer }));

  it('"via kommunens öppenvård" gives the party and the unit that carries it out', () => {
    expect(one('Familjebehandling via kommunens öppenvård')).toEqual({
      party: 'socialtjanst', intervention: 'Familjebehandling', scope: null, performer: 'kommunens öppenvård', followUpDate: null,
    });
    expect(one('Öppenvården erbjuder samtal för tonåringar, 5 ggr')).toMatchObject({ party: 'socialtjanst', intervention: 'samtal för tonåringar' });
  });

  it('removes a value repeated in a field', () => {
    expect(one('Soc: familjestöd, familjebehandlare, familjebehandlare').performer).toBe('familjebehandlare');
    expect(one('Soc: MI-samtal med familjebehandlare, 4 träffar, utförs av familjebehandlare').performer).toBe('familjebehandlare');
  });

  it('a commitment several parties share is one per party, with the same fields', () => {
    const shared = { intervention: 'gemensam handlingsplan', scope: null, performer: null, followUpDate: '2026-04-20' };
    expect(readCommitments('BUP och skolan gör en gemensam handlingsplan, uppföljning v. 17', TODAY)).toEqual([
      { party: 'specialistvard', ...shared },
      { party: 'skola', ...shared },
    ]);
    expect(readCommitments('Skolan och soc: kartläggning av frånvaron', TODAY).map((c) => c.party)).toEqual(['skola', 'socialtjanst']);
    // a party named later only takes part
    expect(readCommitments('Skolan: kartläggning tillsammans med BUP och soc', TODAY).map((c) => c.party)).toEqual(['skola']);
  });
});

describe('readMessage: parties with nothing further', () => {
  it.each([
    ['ingen insats från oss', ['writer']],
    ['Vi har inga insatser just nu.', ['writer']],
    ['inget mer från HC', ['primarvard']],
    ['Ingen insats från socialtjänsten i dagsläget', ['socialtjanst']],
    ['inget mer från skolans sida', ['skola']],
    ['HC: vi har inga insatser', ['primarvard']],
    ['Vi på HC har ingen insats i nuläget.', ['primarvard']],
    ['BUP – inget mer från vår sida', ['specialistvard']],
    ['Elevhälsan: ingen ny insats från oss', ['skola']],
  ])('%s → %j', (text, parties) => expect(readMessage(text, TODAY)).toEqual({ commitments: [], nothingFurther: parties }));

  it('keeps the commitments of the other parties, and readCommitments gives only those', () => {
    const text = '- Soc: kontaktfamilj en helg/månad\n- BUP: inget mer från BUP just nu\n- Skolan: anpassat schema, mentorn, uppf. 3/4';
    const read = readMessage(text, TODAY);
    expect(read.nothingFurther).toEqual(['specialistvard']);
    expect(read.commitments.map((c) => c.party)).toEqual(['socialtjanst', 'skola']);
    expect(readCommitments(text, TODAY)).toEqual(read.commitments);
    for (const c of read.commitments) expect(Object.keys(c).sort()).toEqual(['followUpDate', 'intervention', 'party', 'performer', 'scope']);
  });

  it('an intervention that merely contains "ingen" is still a commitment', () => {
    expect(readMessage('Skolan: anpassat schema så att ingen lektion krockar', TODAY).nothingFurther).toEqual([]);
  });
});
