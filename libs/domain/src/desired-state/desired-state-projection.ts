import type { ObjectType } from '@provsync/skolverket-api';

import type { ReferenceData } from '../reference/reference-data.js';
import type { SisChange, SisEntity } from '../sis/sis-change.js';
import type { SisDuty } from '../sis/sis-objects.schema.js';
import { activityTransitions, decideActivity } from './activity-rules.js';
import { DesiredObjects, type DesiredObject, type DesiredObjectsState } from './desired-objects.js';
import { decideDuty, dutyOwnProblems, dutyTransitions } from './duty-rules.js';
import { explainSisObject, type Explanation } from './explain.js';
import { decideGroup, groupOwnProblems, groupTransitions } from './group-rules.js';
import { decidePerson, personTransitions } from './person-rules.js';
import { indexReference, type ReferenceIndex } from './reference-index.js';
import { parseSisKey, SisGraph, type SisGraphState, type SisKey } from './sis-graph.js';
import { type CalendarState, TransitionCalendar } from './transition-calendar.js';
import type { RuleContext } from './verdict.js';

export interface ProjectionOptions {
  /** Called once per SIS object whose rules are evaluated: shows what a change reached. */
  onEvaluate?: (entity: SisEntity, id: string) => void;
}

type Dirty = Record<'duty' | 'person' | 'group' | 'activity', Set<string>>;
const noneDirty = (): Dirty => ({ duty: new Set(), person: new Set(), group: new Set(), activity: new Set() });

interface DutyState {
  sent: boolean;
  /** Sendable on its own account: makes its person staff. */
  own: boolean;
}

interface ActivityState {
  sentGroups: string[];
  ids: string[];
}

/** The projection's whole state as plain data (`exportState`), from which `fromState` goes on. */
export interface ProjectionState {
  today: string;
  reference: ReferenceData;
  sis: SisGraphState;
  desired: DesiredObjectsState;
  calendar: CalendarState;
  dutyStates: Map<string, DutyState>;
  usableGroups: Set<string>;
  activityStates: Map<string, ActivityState>;
  activityOfDerived: Map<string, string>;
}

/**
 * Which Person / Duty / Group / Activity objects Skolverket should hold, from the latest SIS object of
 * every entity. Each change re-evaluates only what it can reach, in the one order the rules depend on:
 * duties → persons → groups (can an activity use them) → activities → groups (are they sent, who is in them).
 *
 * Its input is the changes the recording decider applied (`SisChangeRecorded`), in stream order: which change
 * is newer is decided there, once (`decideRecordSisChange`); each one given here is the entity's latest.
 */
export class DesiredStateProjection {
  private readonly sis: SisGraph;
  private readonly desired = new DesiredObjects((type, id) => this.bodyOf(type, id));
  private readonly calendar: TransitionCalendar;
  private readonly dutyStates: Map<string, DutyState>;
  private readonly usableGroups: Set<string>;
  /** Per SIS activity: the groups whose Skolverket activity is sent, and all Skolverket ids made from it. */
  private readonly activityStates: Map<string, ActivityState>;
  /** Skolverket activity id → the SIS activity it is made from. */
  private readonly activityOfDerived: Map<string, string>;
  private referenceData: ReferenceData;
  private reference: ReferenceIndex;
  private readonly ctx: RuleContext;

  /** `state`: go on from a state `exportState` gave (see `fromState`), instead of starting empty. */
  constructor(
    reference: ReferenceData,
    private today: string,
    private readonly options: ProjectionOptions = {},
    state?: ProjectionState,
  ) {
    this.referenceData = reference;
    this.reference = indexReference(reference);
    this.sis = new SisGraph(state?.sis);
    this.calendar = state ? TransitionCalendar.fromState(state.calendar) : new TransitionCalendar();
    // The state's collections are taken over, not copied: it is the projection's from here on.
    this.dutyStates = state?.dutyStates ?? new Map();
    this.usableGroups = state?.usableGroups ?? new Set();
    this.activityStates = state?.activityStates ?? new Map();
    this.activityOfDerived = state?.activityOfDerived ?? new Map();
    if (state) this.desired.importState(state.desired);
    const self = this;
    this.ctx = {
      get today() {
        return self.today;
      },
      get reference() {
        return self.reference;
      },
      sis: this.sis,
      isDutySent: (id) => this.dutyStates.get(id)?.sent === true,
      // A person is sent exactly when it has a desired object (no separate Set of 165,000 ids).
      isPersonSent: (id) => this.desired.get('person', id) !== undefined,
      isGroupUsedBySentActivity: (groupId) => {
        for (const a of this.sis.activitiesOfGroup(groupId)) {
          if (this.activityStates.get(a)?.sentGroups.includes(groupId)) return true;
        }
        return false;
      },
    };
  }

  /** A projection exactly as the one `state` was exported from (same rules, same results from here on); takes `state` over. */
  static fromState(state: ProjectionState, options: ProjectionOptions = {}): DesiredStateProjection {
    return new DesiredStateProjection(state.reference, state.today, options, state);
  }

  /**
   * Everything the projection holds, as plain data (Maps, Sets, arrays, byte arrays: what a structured clone
   * keeps). Live, not a copy: serialise it before applying anything else.
   */
  exportState(): ProjectionState {
    return {
      today: this.today,
      reference: this.referenceData,
      sis: this.sis.exportState(),
      desired: this.desired.exportState(),
      calendar: this.calendar.exportState(),
      dutyStates: this.dutyStates,
      usableGroups: this.usableGroups,
      activityStates: this.activityStates,
      activityOfDerived: this.activityOfDerived,
    };
  }

  /** Applies one applied SIS change; returns the keys (`type:id`) of desired objects it added, changed or removed. */
  apply(change: SisChange): Set<string> {
    return this.applyAll([change]);
  }

  /**
   * Applies changes in order and evaluates what they reach once, at the end: the same result as applying
   * them one by one, without re-evaluating a group for each of its members as they arrive (replay).
   * Returns the net change: an object changed and changed back within the batch is not in it.
   */
  applyAll(changes: Iterable<SisChange>): Set<string> {
    const dirty = noneDirty();
    for (const change of changes) this.store(change, dirty);
    return this.recompute(dirty);
  }

  private store(change: SisChange, dirty: Dirty): void {
    const { entity, subject } = change;
    const data = change.action === 'upserted' ? change.data : null;
    const before = this.sis.put(entity, subject, data);
    switch (entity) {
      case 'organisation':
        for (const key of this.sis.dependentsOfOrganisation(subject)) this.markDirty(dirty, key);
        break;
      case 'person':
        dirty.person.add(subject);
        for (const dutyId of this.sis.dutiesOfPerson(subject)) dirty.duty.add(dutyId);
        break;
      case 'duty':
        dirty.duty.add(subject);
        for (const duty of [before, data] as (SisDuty | null | undefined)[]) if (duty) dirty.person.add(duty.person.id);
        break;
      case 'group':
        dirty.group.add(subject);
        break;
      case 'activity':
        dirty.activity.add(subject);
        break;
      default: {
        const unknown: never = entity;
        throw new Error(`unknown SIS entity ${String(unknown)}`);
      }
    }
  }

  /** Moves the projection to another day: what is current changes as dates pass. */
  setToday(today: string): Set<string> {
    if (today === this.today) return new Set();
    const flips = this.calendar.flipsBetween(this.today, today);
    this.today = today;
    const dirty = noneDirty();
    for (const key of flips) this.markDirty(dirty, key);
    return this.recompute(dirty);
  }

  setReference(reference: ReferenceData): Set<string> {
    this.referenceData = reference;
    this.reference = indexReference(reference);
    const dirty: Dirty = {
      duty: new Set(this.sis.keys('duty')),
      person: new Set(this.sis.keys('person')),
      group: new Set(this.sis.keys('group')),
      activity: new Set(this.sis.keys('activity')),
    };
    return this.recompute(dirty);
  }

  get(type: ObjectType, id: string): DesiredObject | undefined {
    return this.desired.get(type, id);
  }

  list(type: ObjectType): DesiredObject[] {
    return this.desired.list(type);
  }

  /** The desired objects of one type, live (not a copy): do not apply changes while iterating. */
  values(type: ObjectType): IterableIterator<DesiredObject> {
    return this.desired.values(type);
  }

  count(type: ObjectType): number {
    return this.desired.count(type);
  }

  /** The body the rules give a desired object now: desired objects keep only its hash and size. */
  private bodyOf(type: ObjectType, id: string): DesiredObject['body'] | undefined {
    switch (type) {
      case 'person': {
        const person = this.sis.persons.get(id);
        return person && decidePerson(person, this.ctx).body;
      }
      case 'duty': {
        const duty = this.sis.duties.get(id);
        return duty && decideDuty(duty, this.ctx).body;
      }
      case 'group': {
        const group = this.sis.groups.get(id);
        return group && decideGroup(group, this.ctx).body;
      }
      case 'activity': {
        const activity = this.sis.activities.get(this.activityOfDerived.get(id) ?? '');
        return activity && decideActivity(activity, this.ctx).derived.find((d) => d.id === id)?.body;
      }
      default: {
        const unknown: never = type;
        throw new Error(`unknown object type ${String(unknown)}`);
      }
    }
  }

  explain(sisId: string): Explanation {
    return explainSisObject(sisId, this.ctx);
  }

  private recompute(dirty: Dirty): Set<string> {
    const changed = new Set<string>();
    for (const id of dirty.duty) this.evaluateDuty(id, dirty, changed);
    for (const id of dirty.person) this.evaluatePerson(id, dirty, changed);
    for (const id of dirty.group) this.checkGroupUsable(id, dirty);
    for (const id of dirty.activity) this.evaluateActivity(id, dirty, changed);
    for (const id of dirty.group) this.evaluateGroup(id, changed);
    this.sis.release();
    return changed;
  }

  private evaluateDuty(id: string, dirty: Dirty, changed: Set<string>): void {
    const duty = this.sis.duties.get(id);
    if (duty) this.options.onEvaluate?.('duty', id);
    const verdict = duty ? decideDuty(duty, this.ctx) : undefined;
    const state = { sent: verdict?.body !== undefined, own: duty ? dutyOwnProblems(duty, this.ctx).length === 0 : false };
    const before = this.dutyStates.get(id);
    if (before?.sent !== state.sent || before?.own !== state.own) {
      if (duty) dirty.person.add(duty.person.id);
      for (const activityId of this.sis.activitiesOfDuty(id)) dirty.activity.add(activityId);
    }
    if (duty) this.dutyStates.set(id, state);
    else this.dutyStates.delete(id);
    this.desired.put('duty', id, verdict?.body, verdict?.refs ?? [], changed);
    this.calendar.set('duty', id, duty ? dutyTransitions(duty) : []);
  }

  private evaluatePerson(id: string, dirty: Dirty, changed: Set<string>): void {
    const person = this.sis.persons.get(id);
    if (person) this.options.onEvaluate?.('person', id);
    const verdict = person ? decidePerson(person, this.ctx) : undefined;
    const sent = verdict?.body !== undefined;
    if (sent !== this.ctx.isPersonSent(id)) {
      for (const groupId of this.sis.groupsOfPerson(id)) dirty.group.add(groupId);
    }
    this.desired.put('person', id, verdict?.body, verdict?.refs ?? [], changed);
    this.calendar.set('person', id, person ? personTransitions(person, this.ctx) : []);
  }

  private checkGroupUsable(id: string, dirty: Dirty): void {
    const group = this.sis.groups.get(id);
    const usable = group !== undefined && groupOwnProblems(group, this.ctx).length === 0;
    if (usable === this.usableGroups.has(id)) return;
    if (usable) this.usableGroups.add(id);
    else this.usableGroups.delete(id);
    for (const activityId of this.sis.activitiesOfGroup(id)) dirty.activity.add(activityId);
  }

  private evaluateActivity(id: string, dirty: Dirty, changed: Set<string>): void {
    const activity = this.sis.activities.get(id);
    if (activity) this.options.onEvaluate?.('activity', id);
    const verdict = activity ? decideActivity(activity, this.ctx) : undefined;
    const derived = verdict?.derived ?? [];
    const sentGroups = derived.filter((d) => d.body).map((d) => d.groupId);
    const before: ActivityState = this.activityStates.get(id) ?? { sentGroups: [], ids: [] };
    if (before.sentGroups.join() !== sentGroups.join()) {
      for (const groupId of [...before.sentGroups, ...sentGroups]) dirty.group.add(groupId);
    }
    const ids = derived.map((d) => d.id);
    for (const oldId of before.ids) {
      if (ids.includes(oldId)) continue;
      this.desired.put('activity', oldId, undefined, [], changed);
      if (this.activityOfDerived.get(oldId) === id) this.activityOfDerived.delete(oldId);
    }
    for (const d of derived) {
      this.desired.put('activity', d.id, d.body, d.refs, changed);
      if (d.body) this.activityOfDerived.set(d.id, id);
    }
    if (activity) this.activityStates.set(id, { sentGroups, ids });
    else this.activityStates.delete(id);
    this.calendar.set('activity', id, activity ? activityTransitions(activity) : []);
  }

  private evaluateGroup(id: string, changed: Set<string>): void {
    const group = this.sis.groups.get(id);
    if (group) this.options.onEvaluate?.('group', id);
    const verdict = group ? decideGroup(group, this.ctx) : undefined;
    this.desired.put('group', id, verdict?.body, verdict?.refs ?? [], changed);
    this.calendar.set('group', id, group ? groupTransitions(group) : []);
  }

  private markDirty(dirty: Dirty, key: SisKey): void {
    const { entity, id } = parseSisKey(key);
    if (entity !== 'organisation') dirty[entity].add(id);
  }
}
