import { OUT_OF_ORDER_SIS_CHANGE_RECORDED, PERSONAL_DATA_ACCESSED, SIS_CHANGE_RECORDED, SYNC_EVENT_TYPES } from '@provsync/domain';

import { REFERENCE_READ } from '../desired-state/reference-data-store.js';

/** The open-data reference data as kept by ReferenceDataStore. */
export const REFERENCE_READ_TYPE = REFERENCE_READ;

/** Every event type the audit index reads. */
export const AUDIT_EVENT_TYPES: readonly string[] = [
  SIS_CHANGE_RECORDED,
  OUT_OF_ORDER_SIS_CHANGE_RECORDED,
  REFERENCE_READ_TYPE,
  ...SYNC_EVENT_TYPES,
  PERSONAL_DATA_ACCESSED,
];
