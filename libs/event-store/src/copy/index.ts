export { type CopyOptions, type CopyProgress, copyStore, NotACopyError } from './copy-store.js';
export { formatDuration, type ProgressView, progressBar, progressLine } from './copy-progress.js';
export { findLastEvent } from './last-event.js';
export { describeDifference, type StoreDifference, type VerifyResult, verifyStores } from './verify-stores.js';
