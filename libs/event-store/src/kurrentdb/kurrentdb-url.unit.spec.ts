import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isKurrentDbUrl, parseKurrentDbUrl } from './kurrentdb-url.js';

describe('KurrentDB store URL', () => {
  it('accepts kurrentdb:// and esdb://, with or without +discover, and nothing else', () => {
    for (const url of ['kurrentdb://h:2113', 'kurrentdb+discover://h', 'esdb://h', 'esdb+discover://h']) assert.ok(isKurrentDbUrl(url), url);
    for (const url of ['postgres://h/db', 'sqlite:./x.db', 'http://h:2113']) assert.ok(!isKurrentDbUrl(url), url);
    assert.throws(() => parseKurrentDbUrl('postgres://h/db'), /kurrentdb:\/\//);
  });

  it('passes the URL on unchanged with the default stream prefix when it names none', () => {
    assert.deepEqual(parseKurrentDbUrl('kurrentdb://admin:changeit@h1:2113,h2:2113?tls=false'), {
      connectionString: 'kurrentdb://admin:changeit@h1:2113,h2:2113?tls=false',
      streamPrefix: 'provsync-',
    });
  });

  it('takes provsync\'s streamPrefix out of the query, keeping the client\'s own settings', () => {
    assert.deepEqual(parseKurrentDbUrl('esdb+discover://h:2113?tls=false&streamPrefix=school-a.&nodePreference=leader'), {
      connectionString: 'esdb+discover://h:2113?tls=false&nodePreference=leader',
      streamPrefix: 'school-a.',
    });
    assert.deepEqual(parseKurrentDbUrl('kurrentdb://h?stream_prefix=t-1-'), { connectionString: 'kurrentdb://h', streamPrefix: 't-1-' });
  });

  it('refuses a prefix that would reach system streams or is empty, naming the parameter', () => {
    assert.throws(() => parseKurrentDbUrl('kurrentdb://h?streamPrefix=%24all'), /streamPrefix/);
    assert.throws(() => parseKurrentDbUrl('kurrentdb://h?streamPrefix='), /streamPrefix/);
  });
});
