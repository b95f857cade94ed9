import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parsePostgresUrl } from './postgres-url.js';

it('reads the schema from ?schema=, provsync by default, and passes the other parameters on to the driver', () => {
  assert.deepEqual(parsePostgresUrl('postgres://app:pw@db.example:6543/sis?schema=kommun_a&sslmode=require'), {
    connectionString: 'postgres://app:pw@db.example:6543/sis?sslmode=require',
    schema: 'kommun_a',
    display: 'db.example:6543/sis',
  });
  assert.equal(parsePostgresUrl('postgresql://app@localhost/sis').schema, 'provsync');
  assert.equal(parsePostgresUrl('postgresql://app@localhost/sis').display, 'localhost:5432/sis');
});

it('refuses a schema name that would need quoting, and never repeats the password in its errors', () => {
  for (const schema of ['Provsync', 'a-b', '1abc', 'x"; DROP', 'a'.repeat(64)]) {
    assert.throws(() => parsePostgresUrl(`postgres://app:s3cret@h/db?schema=${encodeURIComponent(schema)}`), (error: Error) => {
      assert.match(error.message, /schema must be/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
  }
  assert.throws(() => parsePostgresUrl('mysql://app@h/db'), /expected postgres:\/\/ or postgresql:\/\//);
});
