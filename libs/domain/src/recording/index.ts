export * from './recording-events.js';
export * from './record-sis-change.decider.js';
