import { randomUUID } from 'node:crypto';
import type { AsynchronousResponse, ObjectType } from '@provsync/skolverket-api';
import { objectProblems as P, toLogEntry, type Problem, type ResourceType } from './log-entries.js';
import type { Reference } from './reference.js';
import type { ObjectStore } from './store.js';
import { validateObject } from './validation/index.js';

export type Operation = 'upsert' | 'update' | 'delete';
export type JobResponse = AsynchronousResponse['responses'][number];

export interface Job {
  id: string;
  type: ObjectType;
  operation: Operation;
  organisationNumber: string;
  updateIfExists: boolean;
  created: Date;
  completed: boolean;
  /** Objects for create/update (ids checked to be UUIDs), ids for delete. */
  inputs: Array<Record<string, unknown> | string>;
  responses: JobResponse[];
}

export interface JobEngineOptions {
  store: ObjectStore;
  reference: Reference;
  delayMs: number;
  /** Read on each object, so faults can be switched while running. */
  temporaryErrorShare: () => number;
  random: () => number;
  clock: () => Date;
  /** URL of a stored object, for the `location` of a created one. */
  locationOf: (type: ObjectType, id: string) => string;
}

const RESOURCE: Record<ObjectType, ResourceType> = { person: 'Person', duty: 'Duty', group: 'Group', activity: 'Activity' };

/**
 * Bulk jobs as the Provisioning API runs them: accepted at once, every object `Pending`, then processed in
 * submission order after a delay, each object on its own (one bad object never blocks the others).
 */
export class JobEngine {
  private readonly jobs = new Map<string, Job>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: JobEngineOptions) {}

  submit(type: ObjectType, operation: Operation, organisationNumber: string, inputs: Job['inputs'], updateIfExists = false): Job {
    const created = this.options.clock();
    const stamp = created.toISOString();
    const job: Job = {
      id: randomUUID(),
      type,
      operation,
      organisationNumber,
      updateIfExists,
      created,
      completed: false,
      inputs,
      responses: inputs.map((input) => ({
        id: idOf(input),
        response: { status: 'Pending' },
        meta: { created: stamp, modified: stamp },
      })),
    };
    this.jobs.set(job.id, job);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.process(job);
    }, this.options.delayMs);
    this.timers.add(timer);
    return job;
  }

  /** A job of that type and organiser, or undefined (another organiser's job is not found either). */
  find(type: ObjectType, jobId: string, organisationNumber: string): Job | undefined {
    const job = this.jobs.get(jobId.toLowerCase());
    return job && job.type === type && job.organisationNumber === organisationNumber ? job : undefined;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private process(job: Job): void {
    job.responses = job.inputs.map((input) => this.processOne(job, input));
    job.inputs = []; // a large load keeps only the answers
    job.completed = true;
  }

  private processOne(job: Job, input: Record<string, unknown> | string): JobResponse {
    const { store, reference, clock, random, temporaryErrorShare } = this.options;
    const now = clock();
    const id = idOf(input);
    const resource = { type: RESOURCE[job.type], id };
    const answer = (status: JobResponse['response']['status'], statusCode: number, problems: Problem[] = [], location?: string): JobResponse => {
      const errors = problems.filter((p) => p.severityLevel === 'Error').map((p) => toLogEntry(p, now, resource));
      const warnings = problems.filter((p) => p.severityLevel === 'Warning').map((p) => toLogEntry(p, now, resource));
      return {
        id,
        response: {
          status,
          statusCode,
          ...(location ? { location } : {}),
          ...(errors.length ? { errors } : {}),
          ...(warnings.length ? { warnings } : {}),
        },
        meta: { created: job.created.toISOString(), modified: now.toISOString() },
      };
    };
    const refused = (problem: Problem, more: Problem[] = []) => answer('Error', problem.statusCode, [problem, ...more]);

    if (random() < temporaryErrorShare()) return answer('TemporaryError', 503, [P.temporary()]);
    const existing = store.get(job.type, id);
    if (existing && existing.organisationNumber !== job.organisationNumber) {
      return refused(job.operation === 'upsert' ? P.ownedByOther() : P.notFound());
    }

    if (job.operation === 'delete') {
      if (!existing) return refused(P.notFound());
      const referrers = store.referrersOf(job.type, id);
      if (referrers.length > 0) return refused(P.stillReferenced(describe(referrers)));
      store.remove(job.type, id);
      return answer('Success', 200);
    }

    if (job.operation === 'upsert' && existing && !job.updateIfExists) return refused(P.alreadyExists());
    if (job.operation === 'update' && !existing) return refused(P.notFound());
    const object = input as Record<string, unknown>;
    const { problems, value } = validateObject(job.type, object, { reference, store, organisationNumber: job.organisationNumber, now });
    const firstError = problems.find((p) => p.severityLevel === 'Error');
    if (firstError) return answer('Error', firstError.statusCode, problems);
    const outcome = store.put(job.type, job.organisationNumber, value, now.toISOString());
    const created = outcome === 'created';
    return answer(problems.length ? 'Warning' : 'Success', created ? 201 : 200, problems, created ? this.options.locationOf(job.type, id) : undefined);
  }
}

function idOf(input: Record<string, unknown> | string): string {
  return typeof input === 'string' ? input : String(input.id);
}

function describe(referrers: Array<{ type: ObjectType; id: string }>): string {
  const shown = referrers.slice(0, 5).map((r) => `${RESOURCE[r.type]} ${r.id}`);
  return referrers.length > 5 ? `${shown.join(', ')} och ${referrers.length - 5} till` : shown.join(', ');
}
