import type { ReferenceData } from '../reference/reference-data.js';
import type { ReferenceDataLoss } from './hold-events.js';

/**
 * What `after` no longer lists of `before`'s school units (by school unit code), programmes (by education code)
 * and test activities (by name); undefined when it lost nothing. Deletes that follow such a loss are held for
 * an operator whatever their count: a gap in the open data is never a reason to delete silently.
 */
export function referenceDataLoss(before: ReferenceData | undefined, after: ReferenceData): ReferenceDataLoss | undefined {
  if (!before) return undefined;
  const lost = (was: string[], now: string[]) => {
    const kept = new Set(now);
    return [...new Set(was)].filter((code) => !kept.has(code)).sort();
  };
  const loss: ReferenceDataLoss = {
    schoolUnits: lost(before.schoolUnits.map((u) => u.schoolUnitCode), after.schoolUnits.map((u) => u.schoolUnitCode)),
    programmes: lost(before.programmes.map((p) => p.educationCode), after.programmes.map((p) => p.educationCode)),
    testActivities: lost(before.testActivities.map((a) => a.displayName), after.testActivities.map((a) => a.displayName)),
  };
  return loss.schoolUnits.length || loss.programmes.length || loss.testActivities.length ? loss : undefined;
}
