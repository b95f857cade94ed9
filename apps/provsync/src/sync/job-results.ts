import type { ObjectResult } from '@provsync/domain';
import type { AsynchronousResponse } from '@provsync/skolverket-api';

type JobResponse = AsynchronousResponse['responses'][number];

/**
 * A finished job's outcome as recorded: only the objects that did not simply succeed (Success is implied for
 * every object the record does not list), so a 400-object job records a few bytes in the common case.
 */
export function notableResults(answer: AsynchronousResponse): ObjectResult[] {
  return answer.responses
    .filter(({ response }) => response.status !== 'Success')
    .map(({ id, response }) => ({
      id,
      status: response.status,
      ...(response.statusCode !== undefined ? { statusCode: response.statusCode } : {}),
      ...(response.errors?.length ? { errors: response.errors.map(messageOf) } : {}),
      ...(response.warnings?.length ? { warnings: response.warnings.map(messageOf) } : {}),
    }));
}

/**
 * Whether every object of the job has its outcome. The full job result (not `showOnlyError`, which lists only
 * `Error` and so hides both `Pending` and `TemporaryError`) answers that and gives the outcome in one call.
 */
export function isFinished(answer: AsynchronousResponse): boolean {
  return answer.responses.every(({ response }) => response.status !== 'Pending');
}

/** Skolverket's own stamps: when it created the job and when it had processed the last object (ms). */
export function serverTiming(answer: AsynchronousResponse): { createdMs: number; finishedMs: number } | undefined {
  let createdMs = Infinity;
  let finishedMs = -Infinity;
  for (const { meta } of answer.responses as Array<JobResponse & { meta?: { created?: string; modified?: string } }>) {
    const created = Date.parse(meta?.created ?? '');
    const modified = Date.parse(meta?.modified ?? '');
    if (Number.isFinite(created)) createdMs = Math.min(createdMs, created);
    if (Number.isFinite(modified)) finishedMs = Math.max(finishedMs, modified);
  }
  return Number.isFinite(createdMs) && Number.isFinite(finishedMs) ? { createdMs, finishedMs } : undefined;
}

/** Skolverket's words; the echoed value stays in the (audit) store only, never in logs or errors. */
function messageOf(entry: { message: string; attributeName?: string; resourceType?: string; resourceId?: string; attributeValue?: string }) {
  const { message, attributeName, resourceType, resourceId, attributeValue } = entry;
  return { message, attributeName, resourceType, resourceId, attributeValue };
}
