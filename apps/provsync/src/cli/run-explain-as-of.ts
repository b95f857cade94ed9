import { DesiredStateProjection, type Explanation, explanationText, type ReferenceData, SIS_CHANGE_RECORDED, type SisChangeRecorded } from '@provsync/domain';
import type { EventStore, RecordedEvent } from '@provsync/event-store';
import { REFERENCE_READ_TYPE } from '../audit/audit-event-types.js';
import { stockholmDate } from '../clock.js';

const PAGE = 2_000;
/**
 * Recording times follow the store's order, but several instances' clocks may differ a little: reading stops only
 * at an event recorded this long after the moment asked about.
 */
const CLOCK_SLACK_MS = 5 * 60_000;

export interface ExplanationAsOf extends Explanation {
  /** The moment asked about, and the Stockholm date the rules took as "today". */
  asOf: string;
  today: string;
}

/**
 * What was desired of a SIS object at a moment, and why: the desired-state projection replayed from the events the
 * store had recorded by then (the SIS changes, and the reference data last read before it), with that moment's
 * Stockholm date as "today". Undefined when no reference data had been read by then (nothing could be decided).
 */
export async function explainAsOf(store: EventStore, sisId: string, asOf: Date): Promise<ExplanationAsOf | undefined> {
  const until = asOf.getTime();
  const recordedBy = (e: RecordedEvent) => Date.parse(e.recordedAt) <= until;
  const reference = (await readUntil(store, [REFERENCE_READ_TYPE], until)).filter(recordedBy).at(-1);
  if (!reference) return undefined;
  const today = stockholmDate(asOf);
  const projection = new DesiredStateProjection((reference.data as { reference: ReferenceData }).reference, today);
  await readUntil(store, [SIS_CHANGE_RECORDED], until, (page) =>
    projection.applyAll(page.filter(recordedBy).map((e) => (e.data as SisChangeRecorded['data']).change)),
  );
  projection.setToday(today);
  return { ...projection.explain(sisId), asOf: asOf.toISOString(), today };
}

/** `provsync explain <sis-id> --as-of <time>`: the explanation as of then, in words or as JSON. */
export async function printExplanationAsOf(store: EventStore, sisId: string, asOf: Date, json: boolean, beforePrinting: () => Promise<void>): Promise<number> {
  const explanation = await explainAsOf(store, sisId, asOf);
  if (!explanation) {
    console.log(`Nothing can be explained as of ${asOf.toISOString()}: provsync had not yet read Skolverket's open data by then.`);
    return 1;
  }
  await beforePrinting();
  if (json) console.log(JSON.stringify(explanation));
  else console.log(`as of ${explanation.asOf} (today ${explanation.today}, from what provsync had recorded by then):\n${explanationText(explanation)}`);
  return explanation.entity ? 0 : 1;
}

/**
 * Reads events of `types` in store order, a page at a time, until one recorded well after `until`; each page goes to
 * `onPage` (so a long history never sits in memory), or all are returned when there is no `onPage`.
 */
async function readUntil(store: EventStore, types: readonly string[], until: number, onPage?: (page: RecordedEvent[]) => void): Promise<RecordedEvent[]> {
  const kept: RecordedEvent[] = [];
  for (let after = 0n; ; ) {
    const page = await store.readAll({ after, limit: PAGE, types });
    const past = page.findIndex((e) => Date.parse(e.recordedAt) > until + CLOCK_SLACK_MS);
    const within = past === -1 ? page : page.slice(0, past);
    if (onPage) onPage(within);
    else kept.push(...within);
    if (past !== -1 || page.length < PAGE) return kept;
    after = page[page.length - 1]!.position;
  }
}
