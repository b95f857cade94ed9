export * from './reconcile-events.js';
export * from './held-object.js';
export * from './compare-holdings.js';
export * from './reconcile-evolve.js';
export * from './drift-found.js';
