import assert from 'node:assert/strict';

import type { AnySisEvent } from '../src/sis-event.js';
import type { SampleObjectByEntity } from '../src/sis-objects.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Test-only: the contract checks of sis-change-events.md that can be asserted directly on plain events. */
export function assertContract(events: readonly AnySisEvent[]): void {
  const eventIds = new Set<string>();
  let previous = '';
  for (const event of events) {
    assert.equal(event.specversion, '1.0');
    assert.match(event.id, UUID);
    assert.ok(!eventIds.has(event.id), `event id ${event.id} repeats`);
    eventIds.add(event.id);
    assert.match(event.source, /^urn:sis:sample:[a-z0-9-]+$/);
    assert.match(event.type, /^se\.ss12000\.(organisation|person|duty|group|activity)\.upserted$/);
    assert.equal(event.subject, event.data.id);
    assert.match(event.subject, UUID);
    assert.ok(!Number.isNaN(Date.parse(event.time)) && event.time.endsWith('Z'));
    assert.match(event.sequence, /^\d{18}$/);
    assert.ok(event.sequence > previous, 'sequence grows');
    previous = event.sequence;
    assert.ok(event.actor.length > 0);
  }
}

export type Index = { [E in keyof SampleObjectByEntity]: Map<string, SampleObjectByEntity[E]> };

/** Test-only: asserts every reference points at an object defined by an EARLIER event (dependency order). */
export function assertReferencesResolve(events: readonly AnySisEvent[]): Index {
  const seen: Index = { organisation: new Map(), person: new Map(), duty: new Map(), group: new Map(), activity: new Map() };
  const has = (map: Map<string, unknown>, id: string | undefined, what: string) =>
    assert.ok(id !== undefined && map.has(id), `${what} ${id} is not defined before it is used`);
  for (const event of events) {
    const d = event.data;
    switch (event.type) {
      case 'se.ss12000.organisation.upserted':
        if (event.data.parentOrganisation) has(seen.organisation, event.data.parentOrganisation.id, 'organisation');
        seen.organisation.set(d.id, event.data);
        break;
      case 'se.ss12000.person.upserted':
        for (const e of event.data.enrolments ?? []) has(seen.organisation, e.enroledAt.id, 'organisation');
        seen.person.set(d.id, event.data);
        break;
      case 'se.ss12000.duty.upserted':
        has(seen.person, event.data.person.id, 'person');
        has(seen.organisation, event.data.dutyAt.id, 'organisation');
        seen.duty.set(d.id, event.data);
        break;
      case 'se.ss12000.group.upserted':
        has(seen.organisation, event.data.organisation.id, 'organisation');
        for (const m of event.data.groupMemberships) has(seen.person, m.person.id, 'person');
        seen.group.set(d.id, event.data);
        break;
      case 'se.ss12000.activity.upserted':
        has(seen.organisation, event.data.organisation.id, 'organisation');
        for (const g of event.data.groups) has(seen.group, g.id, 'group');
        for (const t of event.data.teachers) has(seen.duty, t.duty.id, 'duty');
        seen.activity.set(d.id, event.data);
        break;
    }
  }
  return seen;
}
