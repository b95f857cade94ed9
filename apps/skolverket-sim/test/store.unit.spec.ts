import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ObjectStore } from '../src/domain/store.js';

const person = (id: string, eppn = `${id}@x.se`) => ({ id, eduPersonPrincipalNames: [eppn] });
const NOW = '2026-01-01T00:00:00.000Z';

describe('object store', () => {
  it('pages an organiser’s objects in insertion order, past deletes, and keeps the order on update', () => {
    const store = new ObjectStore();
    for (let i = 0; i < 2500; i++) store.put('person', i % 2 ? '2120000002' : '2120000001', person(`p${i}`), NOW);
    for (let i = 0; i < 2000; i += 4) store.remove('person', `p${i}`);
    store.put('person', '2120000001', { ...person('p2'), givenName: 'changed' }, NOW);
    const seen: string[] = [];
    let after = 0;
    for (;;) {
      const page = store.page('person', '2120000001', after, 100);
      seen.push(...page.items.map((s) => s.id));
      if (!page.more) break;
      after = page.items.at(-1)!.seq;
    }
    const expected = Array.from({ length: 2500 }, (_, i) => i).filter((i) => i % 2 === 0 && !(i < 2000 && i % 4 === 0)).map((i) => `p${i}`);
    assert.deepEqual(seen, expected);
    assert.equal(store.get('person', 'p2')!.value.givenName, 'changed');
  });

  it('knows who refers to what, and forgets it when the referrer changes or goes', () => {
    const store = new ObjectStore();
    store.put('person', 'o', person('a'), NOW);
    store.put('duty', 'o', { id: 'd', person: { id: 'a' } }, NOW);
    store.put('group', 'o', { id: 'g', groupMemberships: [{ person: { id: 'a' } }] }, NOW);
    store.put('activity', 'o', { id: 'x', groups: [{ id: 'g' }], teachers: [{ duty: { id: 'd' } }] }, NOW);
    assert.deepEqual(store.referrersOf('person', 'a').map((r) => r.type).sort(), ['duty', 'group']);
    assert.ok(store.hasDuties('a'));
    assert.deepEqual(store.referrersOf('duty', 'd'), [{ type: 'activity', id: 'x' }]);
    store.put('group', 'o', { id: 'g', groupMemberships: [] }, NOW);
    store.remove('duty', 'd');
    assert.deepEqual(store.referrersOf('person', 'a'), []);
    assert.equal(store.hasDuties('a'), false);
  });

  it('indexes EPPNs case-insensitively and survives a snapshot', () => {
    const store = new ObjectStore();
    store.put('person', 'o', person('a', 'Anna@Edu.se'), NOW);
    assert.equal(store.personIdByEppn('anna@edu.se'), 'a');
    const copy = new ObjectStore();
    copy.restore(JSON.parse(JSON.stringify(store.snapshot())));
    assert.equal(copy.personIdByEppn('ANNA@edu.se'), 'a');
    copy.put('person', 'o', person('b'), NOW);
    assert.ok(copy.get('person', 'b')!.seq > copy.get('person', 'a')!.seq);
  });
});

describe('object store references', () => {
  it('match ids whatever their case', () => {
    const store = new ObjectStore();
    store.put('person', 'o', person('3fa85f64-5717-4562-b3fc-2c963f66afa6'), NOW);
    store.put('duty', 'o', { id: 'd', person: { id: '3FA85F64-5717-4562-B3FC-2C963F66AFA6' } }, NOW);
    assert.ok(store.hasDuties('3fa85f64-5717-4562-b3fc-2c963f66afa6'));
    assert.equal(store.referrersOf('person', '3FA85F64-5717-4562-B3FC-2C963F66AFA6').length, 1);
  });
});
