package io.trunkgate.media.relay;

import java.util.BitSet;
import java.util.OptionalInt;

/**
 * Hands out RTP/RTCP port pairs (even RTP port, RTCP = RTP + 1, RFC 3550 11) from the configured range.
 * A round-robin cursor delays the reuse of a just-freed pair, so late packets of an old call do not
 * land in a new one. Thread-safe.
 */
final class PortAllocator {

    private final int first;
    private final int pairs;
    private final BitSet used;
    private int cursor;

    PortAllocator(int portMin, int portMax) {
        this.first = portMin % 2 == 0 ? portMin : portMin + 1;
        this.pairs = (portMax - first + 1) / 2;
        this.used = new BitSet(pairs);
    }

    /** The RTP port of a free pair, now reserved; empty when the range is exhausted. */
    synchronized OptionalInt reserve() {
        // word by word: an exhausted range (routine near the top rate, the pool then serves) costs ~40 reads, not 2,500
        int pair = used.nextClearBit(cursor);
        if (pair >= pairs) {
            pair = used.nextClearBit(0);
            if (pair >= pairs) {
                return OptionalInt.empty();
            }
        }
        used.set(pair);
        cursor = (pair + 1) % pairs;
        return OptionalInt.of(first + 2 * pair);
    }

    /** Reserves the pair of {@code rtpPort} (a restored call's, issue #18): false when outside the range or taken. */
    synchronized boolean reserve(int rtpPort) {
        int pair = (rtpPort - first) / 2;
        if (rtpPort < first || (rtpPort - first) % 2 != 0 || pair >= pairs || used.get(pair)) {
            return false;
        }
        used.set(pair);
        return true;
    }

    synchronized void release(int rtpPort) {
        used.clear((rtpPort - first) / 2);
    }

    /** Ports (not pairs) currently reserved. */
    synchronized int portsInUse() {
        return 2 * used.cardinality();
    }

    int pairs() {
        return pairs;
    }
}
