/** What the execution adapter counts (exported with its stats; the oms and metrics read them). */
export interface ExecAdapterCounters {
  places: number;
  placeAcks: number;
  placeRejectedVenue: number;
  placeRejectedLocal: number;
  placeUnknown: number;
  cancels: number;
  cancelAcks: number;
  cancelRejected: number;
  cancelUnknown: number;
  queries: number;
  viaWs: number;
  viaRest: number;
  http429: number;
  http418: number;
  timestampRejects: number;
  clockSyncs: number;
  clockSyncFailures: number;
  execReports: number;
  balanceUpdates: number;
  otherEvents: number;
  badEvents: number;
  badReplies: number;
  listenerErrors: number;
}

export function newAdapterCounters(): ExecAdapterCounters {
  return {
    places: 0,
    placeAcks: 0,
    placeRejectedVenue: 0,
    placeRejectedLocal: 0,
    placeUnknown: 0,
    cancels: 0,
    cancelAcks: 0,
    cancelRejected: 0,
    cancelUnknown: 0,
    queries: 0,
    viaWs: 0,
    viaRest: 0,
    http429: 0,
    http418: 0,
    timestampRejects: 0,
    clockSyncs: 0,
    clockSyncFailures: 0,
    execReports: 0,
    balanceUpdates: 0,
    otherEvents: 0,
    badEvents: 0,
    badReplies: 0,
    listenerErrors: 0,
  };
}
