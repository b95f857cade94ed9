export * from './read-model-storage.port.js';
export * from './read-model-projector.js';
export { SqliteReadModelStorage } from './sqlite-read-model-storage.js';
export { PostgresReadModelStorage } from './postgres-read-model-storage.js';
export { openReadModelStorage, readModelLocation } from './open-read-model-storage.js';
