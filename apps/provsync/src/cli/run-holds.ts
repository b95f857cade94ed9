import { decideHold, deletesText, evolveHolds, type Hold, HOLD_DECISIONS_STREAM, type HoldBook, type HoldEvent, holdReasonText, openHolds } from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import { osUser } from '../audit/record-access.js';
import type { ProvsyncConfig } from '../config/config.js';
import { readSyncState } from '../sync/read-sync-state.js';
import { openCoreContext } from './context.js';

const USAGE = 'usage: provsync holds [--json] | provsync holds approve <id> | provsync holds reject <id>';

/**
 * `provsync holds`: the mass-change guard's holds; `approve <id>` lets a hold's deletes go at the next sync step,
 * `reject <id>` keeps them at Skolverket. The decision is recorded with the OS user and the time.
 */
export async function runHolds(args: string[], config: ProvsyncConfig): Promise<number> {
  const [action, holdId] = args;
  const deciding = action === 'approve' || action === 'reject';
  if ((deciding && (!holdId || args.length > 2)) || (!deciding && args.some((a) => a !== '--json' && a !== 'list'))) {
    console.error(USAGE);
    return 2;
  }
  const context = await openCoreContext(config);
  try {
    const book = await readHolds(context.store);
    if (!deciding) {
      const holds = [...book.holds.values()];
      console.log(args.includes('--json') ? JSON.stringify({ holds: holds.map(holdJson) }) : holdsText(holds));
      return 0;
    }
    const outcome = decideHold(book, { verdict: action, holdId: holdId!, by: osUser(), at: new Date().toISOString() });
    if ('refused' in outcome) {
      console.error(`provsync holds: ${outcome.refused}`);
      return 1;
    }
    const last = (await context.store.readStream(HOLD_DECISIONS_STREAM)).at(-1);
    await context.store.append([{ stream: HOLD_DECISIONS_STREAM, events: [outcome.event], expectedRevision: last ? last.revision : 'no_stream' }]);
    const hold = book.holds.get(holdId!)!;
    const what = deletesText(hold.deletes);
    console.log(
      action === 'approve'
        ? `${holdId} approved by ${outcome.event.data.by}: the sync deletes ${what} (those still not desired), in reverse dependency order`
        : `${holdId} rejected by ${outcome.event.data.by}: ${what} stay at Skolverket`,
    );
    return 0;
  } finally {
    await context.close();
  }
}

/**
 * The holds as the sync state has them, with every recorded decision folded in (again: folding one twice changes
 * nothing), whichever reading of the sync state is in use.
 */
async function readHolds(store: EventStore): Promise<HoldBook> {
  const { state } = await readSyncState(store);
  return foldHoldDecisions(store, state.holds);
}

export async function foldHoldDecisions(store: EventStore, book: HoldBook): Promise<HoldBook> {
  for (const e of await store.readStream(HOLD_DECISIONS_STREAM)) evolveHolds(book, { type: e.type, data: e.data } as HoldEvent);
  return book;
}

export function holdJson(hold: Hold) {
  return {
    id: hold.holdId,
    reason: holdReasonText(hold.reason),
    kind: hold.reason.kind,
    deletes: hold.deletes,
    placedAt: hold.placedAt,
    status: hold.decision?.verdict ?? 'open',
    ...(hold.decision ? { decidedBy: hold.decision.by, decidedAt: hold.decision.at } : {}),
  };
}

/** One line per hold, the open ones with what to do. */
export function holdsText(holds: Hold[]): string {
  if (holds.length === 0) return 'no holds: the mass-change guard has held nothing';
  return holds
    .map((hold) => {
      const head = `${hold.holdId} (${hold.placedAt}): deletes ${deletesText(hold.deletes)}, held because ${holdReasonText(hold.reason)}`;
      if (!hold.decision) return `${head}; OPEN: provsync holds approve ${hold.holdId} | provsync holds reject ${hold.holdId}`;
      return `${head}; ${hold.decision.verdict} by ${hold.decision.by} at ${hold.decision.at}`;
    })
    .join('\n');
}

/** `sync --until-idle`'s last line when deletes wait in open holds: which, and how to decide them. */
export async function sayWhatIsHeld(store: EventStore): Promise<void> {
  const open = openHolds(await readHolds(store));
  if (open.length === 0) return;
  const holds = open.map((hold) => `${hold.holdId} (deletes ${deletesText(hold.deletes)}: ${holdReasonText(hold.reason)})`).join('; ');
  console.log(`idle but for held deletes: ${holds}; decide with provsync holds approve|reject <id>`);
}
