import { randomFor } from './prng.js';
import { STREAM } from './streams.js';

export type SampleDutyRole = 'Rektor' | 'Lärare' | 'Annan personal';

export interface PlannedDuty {
  staff: number;
  /** 0 for the main duty, 1 for a second one. */
  n: number;
  school: number;
  role: SampleDutyRole;
}

export interface StaffLayout {
  /** Staff are numbered 0..n-1 school by school; firstStaff[s] is school s's first. */
  firstStaff: number[];
  staffCount: number;
  duties: PlannedDuty[];
  /** Lärare duties per school, in a fixed order: activities take their teachers from here. */
  teacherDuties: PlannedDuty[][];
}

export function layoutStaff(seed: number, staffPerSchool: readonly number[]): StaffLayout {
  const schools = staffPerSchool.length;
  const firstStaff: number[] = [];
  const duties: PlannedDuty[] = [];
  const teacherDuties: PlannedDuty[][] = staffPerSchool.map(() => []);
  let staff = 0;
  staffPerSchool.forEach((count, school) => {
    firstStaff.push(staff);
    for (let local = 0; local < count; local++, staff++) {
      const random = randomFor(seed, STREAM.staffRole, staff);
      const role = roleOf(local, random());
      duties.push({ staff, n: 0, school, role });
      // Some teachers also teach at a neighbouring school: a realistic second duty.
      if (role === 'Lärare' && schools > 1 && random() < 0.06) {
        duties.push({ staff, n: 1, school: (school + 1) % schools, role: 'Lärare' });
      }
    }
  });
  for (const duty of duties) if (duty.role === 'Lärare') teacherDuties[duty.school]!.push(duty);
  return { firstStaff, staffCount: staff, duties, teacherDuties };
}

/** One principal per school (and one more per 250 staff), a guaranteed teacher, then mostly teachers. */
function roleOf(local: number, draw: number): SampleDutyRole {
  if (local % 250 === 0) return 'Rektor';
  if (local === 1 || draw < 0.8) return 'Lärare';
  return 'Annan personal';
}
