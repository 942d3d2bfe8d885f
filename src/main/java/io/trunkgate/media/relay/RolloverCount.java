package io.trunkgate.media.relay;

/**
 * The SRTP packet index of one SSRC as RFC 3711 3.3.1 keeps it: the rollover counter (ROC) and the highest sequence
 * number, updated on the loop by every packet that passed its context (jitsi-srtp keeps the same pair but has no
 * getter). What a standby needs to go on with the right ROC after a failover (issue #18 item 2): it is published
 * (one volatile write) only when the ROC changes, when the sequence number enters another quarter of its range, or
 * for the first packet: about four times per 65,536 packets, never per packet. The restored pair is within a quarter
 * (plus the seconds of the failover) of the truth, well inside the half range RFC 3711's index guess tolerates.
 */
final class RolloverCount {

    private int roc;
    private int highest;
    private boolean seen;
    /** roc << 16 | highest as last published; -1 before the first packet. */
    private volatile long published = -1;

    /** A count as restored from saved state ({@code index} = roc << 16 | highest sequence). */
    static RolloverCount restored(long index) {
        RolloverCount c = new RolloverCount();
        c.roc = (int) (index >>> 16);
        c.highest = (int) (index & 0xffff);
        c.seen = true;
        c.published = index;
        return c;
    }

    /**
     * The ROC of a packet with sequence number {@code seq} (RFC 3711 3.3.1's guess of v): what a context derived now
     * for this SSRC must start with. 0 for a stream never seen.
     */
    int guess(int seq) {
        if (!seen) {
            return 0;
        }
        if (highest < 32768) {
            return seq - highest > 32768 ? roc - 1 : roc;
        }
        return highest - 32768 > seq ? roc + 1 : roc;
    }

    /** A packet with {@code seq} passed: returns true when the count was published anew (a write is due). */
    boolean accepted(int seq) {
        int v = guess(seq);
        boolean first = !seen;
        if (first) {
            seen = true;
            roc = 0;
            highest = seq;
        } else if (v == roc + 1) {
            roc = v;
            highest = seq;
        } else if (v == roc && seq > highest) {
            highest = seq;
        } else {
            return false; // an older packet (reordered): nothing moves
        }
        long now = (((long) roc) << 16) | highest;
        long before = published;
        if (first || before < 0 || (before >>> 16) != roc || ((before & 0xffff) >>> 14) != (highest >>> 14)) {
            published = now;
            return true;
        }
        return false;
    }

    /** roc << 16 | highest sequence as last published, or -1 before any packet. Any thread. */
    long published() {
        return published;
    }
}
