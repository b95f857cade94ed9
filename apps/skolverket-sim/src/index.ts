export { startSimulator } from './simulator.js';
export { runSimCommand, parseSimArgs } from './main.js';
export type { Faults, Introspection, ObjectCollection, RequestLogEntry, RunningSimulator, SimulatorOptions } from './options.js';
export { uuidv5 } from './domain/uuid5.js';
