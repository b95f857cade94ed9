import type { ObjectType, OpenDataSchoolUnit } from '@provsync/skolverket-api';
import { objectProblems as P, type Problem } from '../log-entries.js';
import type { Reference } from '../reference.js';
import { isUuid } from '../uuid5.js';
import { isRecord } from './shapes.js';

/** What validation may ask of the stored objects. */
export interface StoreView {
  /** The stored object of that organiser, or undefined. */
  find(type: ObjectType, id: string, organisationNumber: string): Record<string, unknown> | undefined;
  personIdByEppn(eppn: string): string | undefined;
  hasDuties(personId: string): boolean;
}

export interface ValidationContext {
  reference: Reference;
  store: StoreView;
  /** The organiser the client's token belongs to. */
  organisationNumber: string;
  now: Date;
}

export interface Validated {
  problems: Problem[];
  /** What would be stored: the sanitised object (a Group without its missing members). */
  value: Record<string, unknown>;
}

const at = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Collects the problems of one object while its attributes are read. */
export class Checker {
  readonly problems: Problem[] = [];

  constructor(readonly ctx: ValidationContext) {}

  add(problem: Problem): void {
    this.problems.push(problem);
  }

  string(obj: Record<string, unknown>, key: string, path: string, required: boolean): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) this.add(P.missing(at(path, key)));
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(P.invalidFormat(at(path, key), value, 'Värdet ska vara en icke-tom text.'));
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(obj: Record<string, unknown>, key: string, path: string, allowed: readonly T[], required: boolean): T | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) this.add(P.missing(at(path, key)));
      return undefined;
    }
    if (!allowed.includes(value as T)) {
      this.add(P.invalidValue(at(path, key), value, allowed));
      return undefined;
    }
    return value as T;
  }

  array(obj: Record<string, unknown>, key: string, path: string, required: boolean): unknown[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) this.add(P.missing(at(path, key)));
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.add(P.invalidFormat(at(path, key), value, 'Värdet ska vara en lista.'));
      return undefined;
    }
    return value;
  }

  record(value: unknown, path: string): Record<string, unknown> | undefined {
    if (isRecord(value)) return value;
    this.add(P.invalidFormat(path, value, 'Värdet ska vara ett objekt.'));
    return undefined;
  }

  /** `obj[key].id`, a reference by UUID. */
  reference(obj: Record<string, unknown>, key: string, path: string, required: boolean): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) this.add(P.missing(at(at(path, key), 'id')));
      return undefined;
    }
    const ref = this.record(value, at(path, key));
    if (!ref) return undefined;
    return this.uuid(ref.id, at(at(path, key), 'id'));
  }

  uuid(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) {
      this.add(P.missing(path));
      return undefined;
    }
    if (!isUuid(value)) {
      this.add(P.invalidFormat(path, value, 'Format ska vara UUID enligt RFC4122.'));
      return undefined;
    }
    return value.toLowerCase();
  }

  boolean(obj: Record<string, unknown>, key: string, path: string): void {
    const value = obj[key];
    if (value !== undefined && typeof value !== 'boolean') this.add(P.invalidFormat(at(path, key), value, 'Värdet ska vara true eller false.'));
  }

  /** A school unit of the client's own organiser that is still active. */
  ownSchoolUnit(id: string, path: string): OpenDataSchoolUnit | undefined {
    const unit = this.ctx.reference.schoolUnitById(id);
    if (!unit) return void this.add(P.schoolUnitUnknown(path, id));
    if (unit.parentOrganisation?.organisationNumber !== this.ctx.organisationNumber) return void this.add(P.schoolUnitNotOwn(path, id));
    if (unit.status === 'Expired') return void this.add(P.schoolUnitExpired(path, id));
    return unit;
  }

  /** Whether the school unit has the school type; reports it when not. */
  schoolTypeAt(unit: OpenDataSchoolUnit, schoolType: string, path: string): NonNullable<OpenDataSchoolUnit['schoolTypes']>[number] | undefined {
    const entry = unit.schoolTypes?.find((t) => t.schoolType === schoolType);
    if (!entry) this.add(P.schoolTypeNotAtUnit(path, schoolType));
    return entry;
  }

  items(list: unknown[] | undefined, path: string, key: string): Array<{ item: Record<string, unknown>; path: string }> {
    const out: Array<{ item: Record<string, unknown>; path: string }> = [];
    (list ?? []).forEach((value, i) => {
      const itemPath = `${at(path, key)}[${i}]`;
      const item = this.record(value, itemPath);
      if (item) out.push({ item, path: itemPath });
    });
    return out;
  }
}
