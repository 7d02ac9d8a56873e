/**
 * Why a feed connection ended. The first five interrupt the connection's streams (the
 * owner must resync every book they feed); 'replaced' and 'stopped' do not.
 *   remoteClose       the venue closed the socket (close frame or FIN)
 *   error             socket error: refused, reset, handshake failure or timeout
 *   readDeadline      no frame for readDeadlineMs although TCP looked alive
 *   serverShutdown    the venue announced serverShutdown and closed before the replacement was live
 *   subscribeTimeout  a SUBSCRIBE got no reply in subscribeTimeoutMs
 *   replaced          closed by us after its replacement went live (make-before-break)
 *   stopped           the feed was stopped
 */
export const DISCONNECT_REASONS = ['remoteClose', 'error', 'readDeadline', 'serverShutdown', 'subscribeTimeout', 'replaced', 'stopped'] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

/** Why a live connection is being replaced make-before-break. */
export type HandoverReason = 'lifetime' | 'serverShutdown';

export function interruptsStreams(reason: DisconnectReason): boolean {
  return reason !== 'replaced' && reason !== 'stopped';
}
