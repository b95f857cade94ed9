import { randomUUID } from 'node:crypto';
import { produce } from './kafka-test-broker.js';

/** Valid SIS change events (CloudEvents structured mode) for tests and the benchmark. */
export interface TestChange {
  key: string;
  source: string;
  id: string;
  value: string;
}

export const TEST_SOURCE = 'urn:sis:test:kommun-0180';
const SCHOOL_ID = '1f5b9a6d-7e4c-4c8b-8d2f-3a4b5c6d7e8f';
/** A personnummer in every person event: the tests show it never reaches a log line. */
export const TEST_CIVIC_NO = '200901272385';

/** `subjects` people with `changesPerSubject` changes each (ascending sequence), interleaved across subjects. */
export function personChanges(subjects: number, changesPerSubject: number, source = TEST_SOURCE): TestChange[] {
  const ids = Array.from({ length: subjects }, () => randomUUID());
  const changes: TestChange[] = [];
  let sequence = 0;
  for (let round = 0; round < changesPerSubject; round++) {
    for (const subject of ids) {
      sequence += 1;
      changes.push(personChange(subject, sequence, source, round));
    }
  }
  return changes;
}

export function personChange(subject: string, sequence: number, source = TEST_SOURCE, round = 0): TestChange {
  const id = randomUUID();
  const event = {
    specversion: '1.0',
    id,
    source,
    type: 'se.ss12000.person.upserted',
    subject,
    time: new Date(Date.UTC(2026, 7, 14, 7, 0, 0, sequence)).toISOString(),
    sequence: String(sequence).padStart(18, '0'),
    actor: 'sis-user:test',
    datacontenttype: 'application/json',
    data: {
      id: subject,
      civicNo: { value: TEST_CIVIC_NO, nationality: 'SE' },
      givenName: 'Lisa',
      familyName: `Johansson-${round}`,
      eduPersonPrincipalNames: [`p${sequence}@edu.kommun.se`],
      emails: [{ value: `p${sequence}@skola.kommun.se`, type: 'Skola elev' }],
      securityMarking: 'Ingen',
      enrolments: [{ enroledAt: { id: SCHOOL_ID }, schoolType: 'GR', schoolYear: 6, startDate: '2020-08-17' }],
    },
  };
  return { key: subject, source, id, value: JSON.stringify(event) };
}

/** Not JSON at all, and carrying personal data that must stay out of the logs. */
export function notJsonMessage(): { key: string; value: string } {
  return { key: randomUUID(), value: `{"civicNo": "${TEST_CIVIC_NO}", "givenName": "Lisa", oops` };
}

/** Valid JSON that breaks the contract: no `type`, an unknown attribute. */
export function offContractMessage(): { key: string; value: string } {
  const subject = randomUUID();
  return {
    key: subject,
    value: JSON.stringify({ specversion: '1.0', id: randomUUID(), source: TEST_SOURCE, subject, time: '2026-08-14T07:12:03Z', civicNo: TEST_CIVIC_NO }),
  };
}

/** A contract-shaped event over the 256 KiB bound. */
export function oversizedMessage(): { key: string; value: string } {
  const change = JSON.parse(personChange(randomUUID(), 1).value) as { data: Record<string, unknown>; subject: string };
  change.data['notes'] = 'x'.repeat(300 * 1024);
  return { key: change.subject, value: JSON.stringify(change) };
}

/** Like a busy SIS: produces a few changes every few milliseconds, appending them to `produced`, until stopped. */
export function keepProducing(topic: string, produced: TestChange[]): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const more = personChanges(5, 4);
      await produce(topic, more);
      produced.push(...more);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
