package io.trunkgate.media.relay;

import java.util.HashMap;
import java.util.Map;

/**
 * The SRTP streams of one key and direction, by SSRC: each its jitsi-srtp context and its {@link RolloverCount}.
 * Counts restored from another instance wait here for their SSRC's first packet. Loop-confined, except
 * {@link #published()}, which any thread may read.
 */
final class SrtpStreams<C> {

    static final class Stream<C> {
        C context;
        final RolloverCount count;

        Stream(RolloverCount count) {
            this.count = count;
        }
    }

    private final Map<Integer, Stream<C>> streams = new HashMap<>();
    private final Runnable changed;
    private volatile Map<Integer, Long> published = Map.of();

    SrtpStreams(Runnable changed) {
        this.changed = changed;
    }

    Stream<C> get(int ssrc) {
        return streams.get(ssrc);
    }

    int size() {
        return streams.size();
    }

    /** The stream of {@code ssrc}, made (and kept) when new. */
    Stream<C> open(int ssrc) {
        return streams.computeIfAbsent(ssrc, s -> new Stream<>(new RolloverCount()));
    }

    /** A stream made for one packet that then failed: forgotten unless a restored count waits in it. */
    void discard(int ssrc, Stream<C> stream) {
        if (stream.count.published() < 0) {
            streams.remove(ssrc, stream);
        } else {
            stream.context = null;
        }
    }

    void accepted(Stream<C> stream, int seq) {
        if (stream.count.accepted(seq)) {
            Map<Integer, Long> copy = new HashMap<>(published);
            for (Map.Entry<Integer, Stream<C>> e : streams.entrySet()) {
                if (e.getValue().count.published() >= 0) {
                    copy.put(e.getKey(), e.getValue().count.published());
                }
            }
            published = Map.copyOf(copy);
            changed.run();
        }
    }

    void restore(Map<Integer, Long> counts) {
        counts.forEach((ssrc, index) -> streams.put(ssrc, new Stream<>(RolloverCount.restored(index))));
        published = Map.copyOf(counts);
    }

    Map<Integer, Long> published() {
        return published;
    }

    void clear() {
        streams.clear();
    }
}
