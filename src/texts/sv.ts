import type { Party } from '../domain/party';

/**
 * Every word the bot shows a person, in Swedish, in the words of the Norrbus agreements.
 * Card templates in `cards/` read these through the `t` field of their data.
 */
export const sv = {
  botName: 'Norrbus',
  party: {
    skola: 'Skola',
    socialtjanst: 'Socialtjänst',
    primarvard: 'Primärvård',
    specialistvard: 'Specialistvård',
    forum: 'Forum barn och unga',
  } satisfies Record<Party, string>,

  help: {
    title: 'Norrbus – samordning kring barn och unga',
    intro:
      'Jag hjälper skola, socialtjänst och primärvård i Norrbotten att kalla till Norrbusmöten, ' +
      'hålla koll på åtaganden och följa upp. Skriv ett kommando här, eller nämn @Norrbus i en kanal.',
    privacy: 'Skriv aldrig namn eller personnummer: ärenden går under en ärendereferens.',
    commandsHeading: 'Kommandon',
    commands: [
      { command: 'norrbus nytt möte', description: 'Kalla de andra parterna till ett Norrbusmöte (kallelse).' },
      { command: 'norrbus mina möten', description: 'Visa de möten du kallat till eller deltar i.' },
      { command: 'norrbus åtagande ‹text›', description: 'Registrera ett åtagande i mötets tråd, t.ex. "Skolan ansvarar för …".' },
      { command: 'norrbus plan', description: 'Visa planen (sammanställningen) för mötet i den här tråden.' },
      { command: 'norrbus avvikelse', description: 'Gör en avvikelserapport.' },
      { command: 'norrbus statistik [år] [kommun]', description: 'Visa uppföljningen för ett år och en kommun.' },
      { command: 'norrbus registrera', description: 'Registrera den här kanalen som partens väg in i kommunen.' },
      { command: 'norrbus kanaler [kommun]', description: 'Visa vilka kanaler som är registrerade i en kommun.' },
      { command: 'norrbus hjälp', description: 'Visa den här hjälpen.' },
    ],
  },

  notReady: 'Den funktionen finns inte ännu i den här versionen av Norrbus. Skriv "norrbus hjälp" för det som fungerar nu.',
  tenantNotAllowed: 'Er organisation är inte ansluten till Norrbus. Kontakta er Norrbus-samordnare för att komma igång.',
  unknownMunicipality: (given: string) =>
    `"${given.slice(0, 40)}" är inte en av Norrbottens 14 kommuner. Skriv till exempel "norrbus kanaler Luleå".`,
  somethingWentWrong: 'Något gick fel hos Norrbus. Inget har sparats. Försök igen om en stund.',

  register: {
    title: 'Registrera kanalen i Norrbus',
    intro: 'Den här kanalen blir partens väg in: här kommer kallelser, påminnelser och planer för partens ärenden i kommunen.',
    municipalityLabel: 'Kommun',
    municipalityPlaceholder: 'Välj kommun',
    partyLabel: 'Part',
    partyPlaceholder: 'Välj part',
    submit: 'Registrera',
    required: 'Välj både kommun och part.',
    onlyInChannel:
      'En kanal registreras i kanalen själv: gå till den kanal i ert team som ska ta emot kallelser ' +
      'och skriv "@Norrbus registrera" där.',
    replaceTitle: 'Ersätta den registrerade kanalen?',
    replaceQuestion: (party: string, municipality: string, current: string) =>
      `${party} i ${municipality} har redan en registrerad kanal: ${current}. Vill du att den här kanalen ersätter den?`,
    replaceConfirm: 'Ersätt',
    cancel: 'Avbryt',
    cancelled: 'Registreringen avbröts. Inget har ändrats.',
    alreadyThisChannel: (party: string, municipality: string) =>
      `Den här kanalen är redan registrerad som ${party} i ${municipality}. Inget har ändrats.`,
    done: (party: string, municipality: string) => `Kanalen är registrerad som ${party} i ${municipality}.`,
    doneDetail: 'Kallelser och påminnelser till parten i kommunen kommer hit från och med nu.',
    stale: 'Registreringen har ändrats sedan kortet visades. Skriv "@Norrbus registrera" igen.',
  },

  channels: {
    title: (municipality: string) => `Norrbus-kanaler i ${municipality}`,
    missing: 'Ingen kanal registrerad',
    missingHint: 'Skriv "@Norrbus registrera" i partens kanal.',
    registeredOn: (date: string) => `registrerad ${date}`,
    unnamedChannel: 'kanal utan namn',
    askMunicipality: 'Vilken kommun? Skriv till exempel "norrbus kanaler Luleå".',
  },
} as const;
