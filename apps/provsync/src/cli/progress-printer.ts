import type { SyncEvent } from '@provsync/domain';

/** One line per batch event, without personal data: counts, types, job ids. */
export function progressPrinter(write: (line: string) => void = (line) => console.error(line)): (event: SyncEvent) => void {
  const batches = new Map<string, string>();
  return (event) => {
    switch (event.type) {
      case 'BatchSubmissionStarted': {
        const label = `${event.data.operation} ${event.data.items.length} ${event.data.objectType}`;
        batches.set(event.data.batchId, label);
        write(`→ sending ${label} object(s)`);
        break;
      }
      case 'BatchAccepted':
        write(`  accepted as job ${event.data.jobId} (${batches.get(event.data.batchId) ?? 'resumed batch'})`);
        break;
      case 'BatchRefused':
        write(`✗ refused (${batches.get(event.data.batchId) ?? 'batch'}): ${event.data.reason}`);
        break;
      case 'JobResultsRecorded': {
        const notOk = event.data.results.filter((r) => r.status !== 'Success');
        const counts = notOk.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
        const detail = Object.entries(counts).map(([status, n]) => `${n} ${status}`).join(', ');
        write(`✓ job ${event.data.jobId} done${detail ? `: ${detail}` : ': all accepted'}`);
        break;
      }
    }
  };
}
