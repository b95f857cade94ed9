import assert from 'node:assert/strict';
import { channel } from 'node:diagnostics_channel';
import { describe, it } from 'node:test';
import { type DesiredItem, evolveSync, initialSyncState } from '@provsync/domain';
import { SKOLVERKET_ANSWERS } from '@provsync/skolverket-client';
import { metrics } from './metrics.js';
import { observeServe } from './serve-observability.js';

describe('observeServe', () => {
  it("counts Skolverket's answers from the client's channel until stopped, and open holds from the leader's state", async () => {
    const observation = observeServe(undefined);
    const state = initialSyncState();
    evolveSync(state, {
      type: 'HoldPlaced',
      data: { holdId: 'h1', reason: { kind: 'threshold' }, deletes: { person: 600 }, keys: ['person:p1'], at: '2026-12-04T10:00:00.000Z' },
    } as never);
    observation.watchSync(() => ({ desired: new Map<string, DesiredItem>(), state }));
    channel(SKOLVERKET_ANSWERS).publish({ call: 'POST /groups/bulk/delete', status: 503 });
    await observation.stop();
    channel(SKOLVERKET_ANSWERS).publish({ call: 'POST /groups/bulk/delete', status: 503 });
    const text = await metrics.text();
    assert.match(text, /^provsync_skolverket_calls_total\{method="POST",endpoint="\/groups\/bulk\/delete",status="503"\} 1$/m);
    assert.match(text, /^provsync_holds_open 1$/m);
    assert.match(text, /^provsync_objects\{type="person",state="pending"\} 0$/m);
  });
});
