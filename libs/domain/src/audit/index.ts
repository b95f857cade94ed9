export * from './audit-entries.js';
export * from './access-events.js';
export { changedFields } from './field-diff.js';
export { historyText, entryText, type History } from './history-text.js';
export { membersOf, personsConcerned, type RelationLookup } from './persons-concerned.js';
export { skolverketActivityIds } from '../desired-state/activity-rules.js';
