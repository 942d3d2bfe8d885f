package io.trunkgate.media;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.trunkgate.flow.Side;
import io.trunkgate.media.relay.MediaSession;
import io.trunkgate.media.sdp.PendingOffer;

/**
 * What the {@code srtpBridge} step remembers per Call-ID (one dialog): the trunk whose {@code media.srtp}
 * applies (SRTP-2) from the initial INVITE on, since responses and in-dialog requests carry no trunk header;
 * the media session once an SDP passed; the last offer, for a second answer to it (18x then 2xx); and the
 * last rewrites, so a repeated SDP (the 2xx repeating the 18x answer, a retransmitted 2xx) gets the same
 * bytes and keys instead of a re-keying. Guarded by its own monitor.
 */
final class CallMedia {

    /** Enough for 18x + 2xx + a retransmission, per side; older entries are never asked for again. */
    private static final int REWRITES_KEPT = 4;

    final String callId;
    final String trunkId;
    final SrtpBridge bridge;
    final long createdNanos = System.nanoTime();
    MediaSession session;
    /** A 2xx to an INVITE passed: a later error final belongs to a re-INVITE, not to the call. */
    boolean established;
    PendingOffer lastOffer;
    long lastOfferCseq = -1;
    String lastOfferMethod;
    private final Map<RewriteKey, byte[]> rewrites = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RewriteKey, byte[]> eldest) {
            return size() > REWRITES_KEPT;
        }
    };

    CallMedia(String callId, String trunkId, SrtpBridge bridge) {
        this.callId = callId;
        this.trunkId = trunkId;
        this.bridge = bridge;
    }

    record RewriteKey(Side from, long cseq, String method, String body) {
    }

    static RewriteKey key(Side from, long cseq, String method, byte[] body) {
        return new RewriteKey(from, cseq, method, new String(body, StandardCharsets.ISO_8859_1));
    }

    byte[] rewritten(RewriteKey key) {
        return rewrites.get(key);
    }

    void remember(RewriteKey key, byte[] out) {
        rewrites.put(key, out);
    }

    void offered(PendingOffer offer, long cseq, String method) {
        lastOffer = offer;
        lastOfferCseq = cseq;
        lastOfferMethod = method;
    }

    boolean live() {
        return session != null && session.state() != MediaSession.State.RELEASED;
    }
}
