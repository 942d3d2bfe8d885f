package io.trunkgate.proxy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.trunkgate.flow.SipConnection;

/**
 * The trunk-side connection of each dialog, by Call-ID: in-dialog requests toward the remote reuse it (a remote may
 * accept requests only on the connection it opened, and a new TLS handshake per request would cost a P-384
 * exchange). A dialog that never sees its BYE (a crashed peer) is forgotten when its connection is gone or after
 * a maximum age, by a sweep every minute.
 */
final class DialogTable {

    /** A dialog older than this is forgotten even if its connection lives (12 h: longer than any real call). */
    static final long MAX_AGE_MILLIS = 12 * 3600_000L;
    private static final long SWEEP_MILLIS = 60_000;

    private record Link(SipConnection connection, long since) {
    }

    private final ConcurrentMap<String, Link> trunkSide = new ConcurrentHashMap<>();
    private final SipTimers timers;

    DialogTable(SipTimers timers) {
        this.timers = timers;
    }

    void remember(String callId, SipConnection trunkConnection) {
        trunkSide.put(callId, new Link(trunkConnection, System.currentTimeMillis()));
    }

    /** The dialog's trunk connection while it is open, else null. */
    SipConnection trunkConnection(String callId) {
        Link link = trunkSide.get(callId);
        return link != null && link.connection().isOpen() ? link.connection() : null;
    }

    void forget(String callId) {
        trunkSide.remove(callId);
    }

    void startSweeping() {
        timers.after(SWEEP_MILLIS, () -> {
            long oldest = System.currentTimeMillis() - MAX_AGE_MILLIS;
            trunkSide.values().removeIf(d -> !d.connection().isOpen() || d.since() < oldest);
            startSweeping();
        });
    }
}
