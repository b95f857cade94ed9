import type { AuditEntry } from './audit-entries.js';
import type { Receipt } from '../recording/recording-events.js';

/** What `provsync history` answers: the subject asked about and its entries, oldest first. */
export interface History {
  /** The SIS id asked about (for --civic-no: the person found). */
  sisId: string;
  entity?: string;
  entries: AuditEntry[];
}

/** The history in plain words, one entry a line, for a data protection officer. */
export function historyText(history: History): string {
  const head = `history of ${history.entity ?? 'SIS object'} ${history.sisId}: ${history.entries.length} entries, oldest first`;
  return [head, ...history.entries.map((e) => `${e.at}  ${entryText(e)}`)].join('\n');
}

export function entryText(e: AuditEntry): string {
  switch (e.kind) {
    case 'sis-change': {
      const what = e.action === 'deleted' ? 'deleted' : e.fields.length ? `changed ${e.fields.join(', ')}` : 'sent again unchanged';
      const by = e.actor ? `by ${e.actor}` : 'by an unnamed actor';
      const older = e.outcome === 'older' ? ' (older than the change already applied: kept, changed nothing)' : '';
      return `SIS ${e.entity} ${e.sisId} ${what} ${by}, from ${e.source} (${receiptText(e.receipt)}, event ${e.id})${older}`;
    }
    case 'desired':
      if (e.change === 'now-sent') return `${e.object.type} ${e.object.id} is now to be sent to Skolverket`;
      if (e.change === 'no-longer-sent') return `${e.object.type} ${e.object.id} is no longer to be sent: ${e.reasons.join('; ') || 'its SIS object is gone'}`;
      return `${e.object.type} ${e.object.id} to be sent with changed ${e.fields.join(', ')}`;
    case 'sent':
      return `sent to Skolverket: ${e.operation} ${e.object.type} ${e.object.id} (batch ${e.batchId})`;
    case 'accepted':
      return `Skolverket took batch ${e.batchId} as job ${e.jobId}`;
    case 'answer':
      return `Skolverket answered ${e.status} for ${e.object.type} ${e.object.id} (job ${e.jobId})${e.messages.length ? `: ${e.messages.join('; ')}` : ''}`;
    case 'refused':
      return `Skolverket refused batch ${e.batchId}: ${e.reason}${e.retry ? ' (sent again later)' : ' (held until the SIS data changes)'}`;
    case 'access':
      return `personal data shown to ${e.who} by \`provsync ${e.command}\`${e.protectedShown ? ' (protected identity shown on request)' : ''}`;
    default: {
      const unknown: never = e;
      throw new Error(`unknown audit entry ${String((unknown as { kind: string }).kind)}`);
    }
  }
}

function receiptText(r: Receipt): string {
  if (r.kafka) return `Kafka ${r.kafka.topic} partition ${r.kafka.partition} offset ${r.kafka.offset}`;
  if (r.file) return `file ${r.file.name} line ${r.file.line}`;
  return r.channel === 'http' ? 'HTTP' : r.channel;
}
