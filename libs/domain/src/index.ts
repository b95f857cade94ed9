export * from './sis/sis-change.js';
export * from './reference/reference-data.js';
export * from './recording/index.js';
