import type { IsoDate } from '../calendar';
import type { CommitmentParty } from './parties';
import { readSegment, type Commitment } from './reader';
import { splitMessage } from './split';

export type { Commitment } from './reader';
export type { CommitmentParty } from './parties';

/**
 * Reads the commitments in a Swedish message, one per line, bullet or party sentence, in order.
 * Pure and deterministic: `today` (a date in Europe/Stockholm) is what relative dates count from.
 *
 * Each commitment has exactly five fields; a field the text does not give is `null`, never guessed:
 * - `party` — the responsible organisation: an explicit "ansvarig: …" or "… ansvarar" first, then
 *   the one the commitment starts with ("Skolan …", "Soc: …", "Distriktssköterska Leila: …"), then
 *   the first organisation or profession with a party named anywhere ("… med familjebehandlare"),
 *   except one that receives something ("remiss till BUP"); last, the heading the line stands under.
 * - `intervention` — what is done, as written, without the party, the verb that only links it to
 *   the party ("ansvarar för", "gör", "erbjuder", "ska ordna", and a following "att"), the one who
 *   receives it ("erbjuder eleven …", "ansvarar för att familjen får …"), a leading article, the
 *   scope, the performer and the follow-up: "anpassad studiegång", "sömnutredning", "föräldrastöd
 *   enligt ABC". Other verbs stay ("ser över schemat", "tar kontakt med BUP"). Clauses that only
 *   refer back ("Insatsen följs upp …", "Vi stämmer av …") add nothing. Several clauses: ", ".
 * - `scope` — how much, how often, for how long, as written, from the first scope phrase to the end
 *   of its clause (or to the performer): "3 dagar/vecka i liten grupp", "varannan vecka", "4 träffar",
 *   "ca 2 h/v", "under vårterminen". Several scope clauses are joined with ", ".
 * - `performer` — who does it, as written, without "utförs av", "utförare", "med", "av": "specialpedagog",
 *   "familjebehandlare Anna", "distriktsläkare Berg". A commitment that starts with a profession
 *   ("Kurator på skolan har …") has that profession as performer unless another one is named.
 * - `followUpDate` — the date in the follow-up clause ("uppföljning …", "följs upp …", "avstämning …"),
 *   else a clause that is only a date ("15/4", "senast 30 maj"); see `dates.ts` for the phrases.
 *   Dates inside a scope ("fr.o.m. 1/4", "t.o.m. juni") are scope, never the follow-up.
 * Text fields keep the writer's spelling and case, trimmed of punctuation and dangling "och".
 */
export function readCommitments(text: string, today: IsoDate): Commitment[] {
  return readMessage(text, today).commitments;
}

/**
 * The commitments of a message (as `readCommitments`), and the parties that state they have no
 * (further) intervention — "ingen insats från oss", "inget mer från HC", "BUP: vi har inga insatser"
 * (SIP, 2013: a party says so when it has nothing to add). Such a sentence gives no commitment.
 * `'writer'` stands for the writer's own party ("oss", "vi", "vår sida" with no party named), which
 * only the caller knows. A commitment that several parties share ("BUP och skolan gör …",
 * "Skolan och soc: …") is one commitment per party, with the same fields, in the order named.
 */
export function readMessage(
  text: string,
  today: IsoDate,
): { commitments: Commitment[]; nothingFurther: Array<CommitmentParty | 'writer'> } {
  const commitments: Commitment[] = [];
  const nothingFurther: Array<CommitmentParty | 'writer'> = [];
  for (const segment of splitMessage(text)) {
    const read = readSegment(segment, today);
    commitments.push(...read.commitments);
    for (const party of read.nothingFurther) if (!nothingFurther.includes(party)) nothingFurther.push(party);
  }
  return { commitments, nothingFurther };
}
