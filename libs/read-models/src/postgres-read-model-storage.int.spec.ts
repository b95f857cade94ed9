import { after } from 'node:test';
import { TestSchemas } from '../../event-store/testing/test-postgres.js';
import { PostgresReadModelStorage } from './postgres-read-model-storage.js';
import { readModelStorageContract } from './read-model-storage.contract.js';

// A schema of its own per run, on the real server at PROVSYNC_TEST_PG_URL (default the local one).
const schemas = new TestSchemas();
const url = schemas.freshUrl();
after(() => schemas.dropAll());
readModelStorageContract('PostgreSQL (the store schema)', () => PostgresReadModelStorage.open(url));
