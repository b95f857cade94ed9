/** Separate PRNG streams per kind of entity, so adding one kind never shifts another's values. */
export const STREAM = {
  pupil: 1,
  staff: 2,
  staffRole: 3,
  duty: 4,
  activity: 5,
  civicDay: 6,
} as const;
