import { OUT_OF_ORDER_SIS_CHANGE_RECORDED, PERSONAL_DATA_ACCESSED, SIS_CHANGE_RECORDED, SYNC_EVENT_TYPES } from '@provsync/domain';

/** The open-data reference data as kept by ReferenceDataStore (apps/provsync/src/desired-state). */
export const REFERENCE_READ_TYPE = 'ReferenceDataRead';

/** Every event type the audit index reads. */
export const AUDIT_EVENT_TYPES: readonly string[] = [
  SIS_CHANGE_RECORDED,
  OUT_OF_ORDER_SIS_CHANGE_RECORDED,
  REFERENCE_READ_TYPE,
  ...SYNC_EVENT_TYPES,
  PERSONAL_DATA_ACCESSED,
];
