import type { ObjectType } from '@provsync/skolverket-api';

import type { SisEntity } from '../sis/sis-change.js';
import { decideActivity } from './activity-rules.js';
import { decideDuty } from './duty-rules.js';
import { decideGroup } from './group-rules.js';
import { decidePerson } from './person-rules.js';
import { resolveSchoolUnit } from './resolve-school-unit.js';
import type { RuleContext, Verdict } from './verdict.js';

/** Why a SIS object is or is not sent to Skolverket. Never holds personal data: ids, field names and codes only. */
export interface Explanation {
  sisId: string;
  /** Undefined when no SIS object with this id is held. */
  entity?: SisEntity;
  /** True when at least one Skolverket object is made from it. */
  sent: boolean;
  /** The Skolverket objects made from it (for an activity: one per group). */
  sentAs: { type: ObjectType; id: string }[];
  /** Every reason something is not sent. */
  reasons: string[];
  /** What was left out, and other facts worth knowing. */
  notes: string[];
}

export function explainSisObject(sisId: string, ctx: RuleContext): Explanation {
  const entity = ctx.sis.entityOf(sisId);
  const fromVerdict = (type: ObjectType, verdict: Verdict<unknown>): Explanation => ({
    sisId,
    entity,
    sent: verdict.body !== undefined,
    sentAs: verdict.body !== undefined ? [{ type, id: sisId }] : [],
    reasons: verdict.reasons,
    notes: verdict.notes,
  });
  switch (entity) {
    case undefined:
      return { sisId, sent: false, sentAs: [], reasons: ['no SIS object with this id is held (never received, or deleted)'], notes: [] };
    case 'person':
      return fromVerdict('person', decidePerson(ctx.sis.persons.get(sisId)!, ctx));
    case 'duty':
      return fromVerdict('duty', decideDuty(ctx.sis.duties.get(sisId)!, ctx));
    case 'group':
      return fromVerdict('group', decideGroup(ctx.sis.groups.get(sisId)!, ctx));
    case 'activity':
      return explainActivity(sisId, ctx);
    case 'organisation':
      return explainOrganisation(sisId, ctx);
    default: {
      const unknown: never = entity;
      throw new Error(`unknown SIS entity ${String(unknown)}`);
    }
  }
}

function explainActivity(sisId: string, ctx: RuleContext): Explanation {
  const verdict = decideActivity(ctx.sis.activities.get(sisId)!, ctx);
  const sent = verdict.derived.filter((d) => d.body);
  const several = verdict.derived.length > 1;
  const reasons =
    verdict.derived.length === 0
      ? verdict.reasons
      : verdict.derived
          .filter((d) => !d.body)
          .flatMap((d) => d.reasons.map((r) => (several ? `for group ${d.groupId} (Skolverket activity ${d.id}): ${r}` : r)));
  return {
    sisId,
    entity: 'activity',
    sent: sent.length > 0,
    sentAs: sent.map((d) => ({ type: 'activity', id: d.id })),
    reasons,
    notes: [
      ...(several ? [`it has ${verdict.derived.length} groups, so it becomes one Skolverket activity per group`] : []),
      ...verdict.notes,
    ],
  };
}

function explainOrganisation(sisId: string, ctx: RuleContext): Explanation {
  const resolved = resolveSchoolUnit(sisId, ctx);
  const dependents = ctx.sis.countDependentsOfOrganisation(sisId);
  return {
    sisId,
    entity: 'organisation',
    sent: false,
    sentAs: [],
    reasons: 'problem' in resolved ? [resolved.problem] : [],
    notes: [
      'an organisation is never sent itself: persons, duties, groups and activities refer to its Skolverket school unit',
      ...('id' in resolved ? [`it is the organiser's school unit ${resolved.unit.schoolUnitCode} (Skolverket id ${resolved.id})`] : []),
      `${dependents} SIS objects refer to it`,
    ],
  };
}

/** The explanation in plain English, one fact a line. */
export function explanationText(e: Explanation): string {
  const what = e.entity ?? 'SIS object';
  const head =
    e.entity === 'organisation'
      ? `organisation ${e.sisId}: not sent itself`
      : e.sent
        ? `${what} ${e.sisId}: sent as ${e.sentAs.map((s) => `${s.type} ${s.id}`).join(', ')}`
        : `${what} ${e.sisId}: not sent`;
  return [
    head,
    ...e.reasons.map((r) => `  ${e.sent ? 'partly not sent' : 'not sent'}: ${r}`),
    ...e.notes.map((n) => `  note: ${n}`),
  ].join('\n');
}
