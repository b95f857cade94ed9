// Test support for the *.int.spec.ts files: the real Skolverket simulator and data it accepts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Person } from '@provsync/skolverket-api';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@provsync/skolverket-sim';
import type { SkolverketClientConfig } from '../../libs/skolverket-client/src/client-config.js';
import type { SkolverketClient } from '../../libs/skolverket-client/src/skolverket-client.js';

export interface SimulatorFixture {
  sim: RunningSimulator;
  config: SkolverketClientConfig;
  stop(): Promise<void>;
}

export async function startTestSimulator(options: Partial<SimulatorOptions> = {}): Promise<SimulatorFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'provsync-skolverket-client-'));
  const sim = await startSimulator({ dataDir, jobDelayMs: 0, ...options });
  return {
    sim,
    config: {
      authUrl: sim.authUrl,
      jwksUrl: sim.jwksUrl,
      openDataUrl: sim.openDataUrl,
      provisioningUrl: sim.provisioningUrl,
      clientCert: readFileSync(sim.clientCert, 'utf8'),
      clientKey: readFileSync(sim.clientKey, 'utf8'),
      ca: readFileSync(sim.ca, 'utf8'),
    },
    async stop() {
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A pupil the simulator accepts: a synthetic personnummer with a valid check digit, in year 6 at `schoolUnitId`. */
export function testPupil(schoolUnitId: string, serial: number): Person {
  const id = randomUUID();
  return {
    id,
    civicNo: { value: withCheckDigit(`20120601${String(serial).padStart(3, '0')}`), nationality: 'SE' },
    givenName: 'Testelev',
    familyName: 'Provsyncsson',
    eduPersonPrincipalNames: [`${id}@elev.provsync.example`],
    emails: [{ value: `${id}@elev.provsync.example`, type: 'Skola elev' }],
    enrolments: [{ enroledAt: { id: schoolUnitId }, schoolType: 'GR', schoolYear: 6, cancelled: false }],
  } as Person;
}

/** Appends the Luhn check digit (over YYMMDDNNN) to `YYYYMMDDNNN`. */
function withCheckDigit(elevenDigits: string): string {
  const digits = elevenDigits.slice(2);
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let digit = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return elevenDigits + String((10 - (sum % 10)) % 10);
}

export async function grSchoolUnitId(client: SkolverketClient, organisationNumber: string): Promise<string> {
  const reference = await client.loadReferenceData(organisationNumber, new Date());
  const unit = reference.schoolUnits.find((u) => u.schoolTypes?.some((t) => t.schoolType === 'GR'));
  assert.ok(unit, 'the simulator seed has a GR school unit for the organiser');
  return unit.id;
}

export async function personJobResult(client: SkolverketClient, jobId: string) {
  while (!(await client.isJobCompleted('person', jobId))) await sleep(50);
  return client.jobResult('person', jobId);
}
