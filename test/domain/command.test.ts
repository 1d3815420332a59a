import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/command';

describe('parseCommand', () => {
  it.each([
    'norrbus hjälp',
    '/norrbus hjälp',
    '@Norrbus hjälp',
    '<at>Norrbus</at> hjälp',
    '  NORRBUS    HJÄLP  ',
    'Norrbus Hjalp',
    'hjälp',
    'norrbus',
    '<at>Norrbus</at>',
    '/norrbus help',
    'norrbus&nbsp;hjälp',
  ])('reads "%s" as help', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'help' });
  });

  it.each([
    ['norrbus nytt möte', { kind: 'newMeeting' }],
    ['/norrbus NYTT MÖTE', { kind: 'newMeeting' }],
    ['<at>Norrbus</at>  nytt mote', { kind: 'newMeeting' }],
    ['norrbus mina möten', { kind: 'myMeetings' }],
    ['norrbus plan', { kind: 'plan', asText: false }],
    ['norrbus plan text', { kind: 'plan', asText: true }],
    ['norrbus avvikelse', { kind: 'deviation' }],
    ['norrbus oenighet', { kind: 'disagreement' }],
    ['<at>Norrbus</at> OENIGHET', { kind: 'disagreement' }],
    ['norrbus oenighet om kostnad', { kind: 'unknown', suggestion: 'oenighet' }],
    ['norrbus registrera', { kind: 'register' }],
    ['@norrbus Registrera', { kind: 'register' }],
    ['norrbus kanaler', { kind: 'channels' }],
    ['norrbus kanaler lulea', { kind: 'channels', municipality: 'Luleå' }],
    ['norrbus kanaler ÖVERTORNEÅ', { kind: 'channels', municipality: 'Övertorneå' }],
    ['norrbus kanaler Stockholm', { kind: 'unknownMunicipality' }],
    ['norrbus statistik', { kind: 'statistics', year: undefined, municipality: undefined }],
    ['norrbus statistik 2026 Luleå', { kind: 'statistics', year: 2026, municipality: 'Luleå' }],
    ['norrbus statistik Piteå 2025', { kind: 'statistics', year: 2025, municipality: 'Piteå' }],
  ])('reads "%s"', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('keeps the text of a commitment as written', () => {
    expect(parseCommand('<at>Norrbus</at> åtagande Skolan ansvarar för anpassad studieplan, 2 h/vecka')).toEqual({
      kind: 'commitment',
      text: 'Skolan ansvarar för anpassad studieplan, 2 h/vecka',
    });
  });

  it.each([
    ['norbus nytt möte', 'nytt möte'],
    ['norrbus nyt möt', 'nytt möte'],
    ['Norrbus regitrera', 'registrera'],
    ['norrbus registrera nu', 'registrera'],
    ['norrbus hjälp mig', 'hjälp'],
    ['norrbus mina möte', 'mina möten'],
    ['norrbus avvikelsen', 'avvikelse'],
    ['norrbus statstik 2026', 'statistik'],
  ])('suggests a command for the near miss "%s"', (text, suggestion) => {
    expect(parseCommand(text)).toEqual({ kind: 'unknown', suggestion });
  });

  it.each(['norrbus nytt', 'hej', 'norrbus åtagande', 'norrbusregistrera', 'norrbus 121212-1212', 'tack så mycket'])(
    'does not guess at "%s"',
    (text) => {
      expect(parseCommand(text)).toEqual({ kind: 'unknown' });
    },
  );
});
