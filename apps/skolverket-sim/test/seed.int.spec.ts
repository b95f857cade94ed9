import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { uuidv5 } from '../src/index.js';
import { startTestSim } from './support/client.js';

const dir = mkdtempSync(join(tmpdir(), 'provsync-seed-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('a seed file replacing the default seed', () => {
  it('changes what the open-data API shows and which organiser the client certificate and tokens belong to', async () => {
    const seedFile = join(dir, 'seed.json');
    writeFileSync(
      seedFile,
      JSON.stringify({
        clientOrganisationNumber: '2120009999',
        organisations: [
          {
            organisationNumber: '2120009999',
            displayName: 'Övningskommunen',
            schoolUnits: [{ schoolUnitCode: '31279295', displayName: 'Testskolan', schoolTypes: [{ schoolType: 'GR', schoolYears: [3, 6, 9] }] }],
          },
        ],
        programmes: [],
        activities: [{ displayName: 'GRGRMAT01_3', schoolType: 'GR', schoolYear: 3 }],
      }),
    );
    const first = await startTestSim({ dataDir: join(dir, 'data') });
    await first.stop();
    const seeded = await startTestSim({ dataDir: join(dir, 'data'), seedFile });
    try {
      assert.equal(seeded.sim.organisationNumber, '2120009999');
      const unit = await seeded.client.openData('/schoolUnits/code/31279295');
      assert.equal(unit.json.id, 'fb22448b-b724-5e53-8a2c-d8b339206901');
      assert.equal((await seeded.client.openData('/organisations/code/2120000001')).status, 404);
      assert.deepEqual((await seeded.client.openData('/activities')).json.map((a: any) => a.id), [uuidv5('GRGRMAT01_3')]);
      const token = await seeded.client.token();
      assert.equal(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).organization_id, '2120009999');
    } finally {
      await seeded.stop();
    }
  });

  it('stops the start with a message naming the file and the field', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ clientOrganisationNumber: '2120009999', organisations: [] }));
    await assert.rejects(startTestSim({ dataDir: join(dir, 'bad-data'), seedFile: bad }), /bad\.json is not valid:[\s\S]*organisations/);
  });
});
