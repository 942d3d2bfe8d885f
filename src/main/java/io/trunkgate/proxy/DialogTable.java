package io.trunkgate.proxy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.trunkgate.flow.SipConnection;

/**
 * The trunk-side connection of each dialog, by Call-ID: in-dialog requests toward the remote reuse it (a remote may
 * accept requests only on the connection it opened, and a new TLS handshake per request would cost a P-384
 * exchange). A dialog that never sees its BYE (a crashed peer) is forgotten when its connection is gone or after
 * a maximum age, by a sweep every minute.
 * <p>
 * A dialog holds its stream connections on both sides ({@link SipConnection#hold()}) from its INVITE until it is
 * forgotten, so an idle limit never closes the connection of a silent call; and whoever counts calls is told when
 * each ends ({@link #onEnd}).
 */
final class DialogTable {

    /** A dialog older than this is forgotten even if its connection lives (12 h: longer than any real call). */
    static final long MAX_AGE_MILLIS = 12 * 3600_000L;
    private static final long SWEEP_MILLIS = 60_000;

    /** @param inside the inside leg's connection, or null */
    private record Link(SipConnection connection, SipConnection inside, long since) {
        void release() {
            connection.release();
            if (inside != null) {
                inside.release();
            }
        }
    }

    private final ConcurrentMap<String, Link> trunkSide = new ConcurrentHashMap<>();
    private final SipTimers timers;
    private final java.util.function.Consumer<String> onEnd;

    /** @param onEnd told the Call-ID of every dialog that ends (or whose INVITE failed), once or more */
    DialogTable(SipTimers timers, java.util.function.Consumer<String> onEnd) {
        this.timers = timers;
        this.onEnd = onEnd;
    }

    /** @param insideConnection the inside leg's connection (held too when it is a stream), or null */
    void remember(String callId, SipConnection trunkConnection, SipConnection insideConnection) {
        SipConnection inside = insideConnection != null && !"udp".equals(insideConnection.transport()) ? insideConnection : null;
        trunkConnection.hold();
        if (inside != null) {
            inside.hold();
        }
        Link before = trunkSide.put(callId, new Link(trunkConnection, inside, System.currentTimeMillis()));
        if (before != null) {
            before.release();
        }
    }

    /** The dialog's trunk connection while it is open, else null. */
    SipConnection trunkConnection(String callId) {
        Link link = trunkSide.get(callId);
        return link != null && link.connection().isOpen() ? link.connection() : null;
    }

    /** The dialog ended (its BYE was answered) or never began (its INVITE failed). */
    void forget(String callId) {
        Link link = trunkSide.remove(callId);
        if (link != null) {
            link.release();
        }
        onEnd.accept(callId);
    }

    /** Dialogs open now. */
    int size() {
        return trunkSide.size();
    }

    void startSweeping() {
        timers.after(SWEEP_MILLIS, () -> {
            long oldest = System.currentTimeMillis() - MAX_AGE_MILLIS;
            for (java.util.Map.Entry<String, Link> e : trunkSide.entrySet()) {
                Link d = e.getValue();
                if ((!d.connection().isOpen() || d.since() < oldest) && trunkSide.remove(e.getKey(), d)) {
                    d.release();
                    onEnd.accept(e.getKey());
                }
            }
            startSweeping();
        });
    }
}
