import type { CallFailure, SyncCall, SyncInput } from '@provsync/domain';
import {
  BrokenCircuitError,
  PayloadTooLargeError,
  SkolverketApiError,
  type SkolverketClient,
  SkolverketError,
  TokenRejectedError,
} from '@provsync/skolverket-client';
import { notableResults, serverTiming } from './job-results.js';

/** The client calls the sync makes (a test can wrap them, e.g. to crash between a call and its record). */
export type ProvisioningCalls = Pick<SkolverketClient, 'submitUpserts' | 'submitDeletes' | 'jobResult' | 'onAvailabilityChange'>;

/** Makes one call the decider asked for; its answer or failure is the decider's next input (with the error). */
export async function makeCall(skolverket: ProvisioningCalls, call: SyncCall): Promise<{ input: SyncInput; error?: unknown }> {
  const { batchId } = call;
  try {
    if (call.type === 'QueryJob') {
      const answer = await skolverket.jobResult(call.objectType, call.jobId);
      return { input: { type: 'JobAnswered', batchId, jobId: call.jobId, results: notableResults(answer), serverTiming: serverTiming(answer) } };
    }
    const { jobId } =
      call.operation === 'upsert'
        ? await skolverket.submitUpserts(call.objectType, call.body as never[])
        : await skolverket.submitDeletes(call.objectType, call.body as string[]);
    return { input: { type: 'SubmissionAccepted', batchId, jobId } };
  } catch (error) {
    const failure = callFailure(error);
    return { input: call.type === 'QueryJob' ? { type: 'JobQueryFailed', batchId, failure } : { type: 'SubmissionFailed', batchId, failure }, error };
  }
}

/** What a failed call's error says, in the decider's terms (what it means is the decider's to say). */
export function callFailure(error: unknown): CallFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof PayloadTooLargeError) return { kind: 'payload-too-large', bodyBytes: error.bodyBytes, message };
  if (error instanceof TokenRejectedError) return { kind: 'token-refused', message };
  if (error instanceof SkolverketApiError) return { kind: 'status', status: error.status, message };
  if (error instanceof SkolverketError || error instanceof BrokenCircuitError) return { kind: 'unavailable', message };
  return { kind: 'unexpected', message };
}

/** The calls with the signal passed to each (the client checks it before and during the call). */
export function withSignal(calls: ProvisioningCalls, signal: AbortSignal): ProvisioningCalls {
  return {
    submitUpserts: (type, objects) => calls.submitUpserts(type, objects, { signal }),
    submitDeletes: (type, ids) => calls.submitDeletes(type, ids, { signal }),
    jobResult: (type, jobId) => calls.jobResult(type, jobId, { signal }),
    onAvailabilityChange: (listener) => calls.onAvailabilityChange(listener),
  };
}
