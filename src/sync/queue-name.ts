/** The queue every sync job goes to: one job per event. */
export const SYNC_QUEUE = 'zoho-sync';
