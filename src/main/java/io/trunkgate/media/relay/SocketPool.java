package io.trunkgate.media.relay;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.netty.channel.EventLoop;
import io.trunkgate.flow.Side;

/**
 * The RTP/RTCP socket pairs of released calls, still bound and registered, per event loop and side (the sides may
 * bind different addresses), the longest-rested first (binding, registering and closing four sockets per call cost a sixth of the gateway's CPU at
 * 1000 calls/s). A new call takes a pair of its loop that rested long enough; pairs idle longer than the socket
 * linger are closed by whoever owns the sockets, and their ports go back to the range.
 */
final class SocketPool {

    private record Key(EventLoop loop, Side side) {
    }

    private final Map<Key, Deque<SocketPair>> pairs = new ConcurrentHashMap<>();
    private final AtomicInteger idle = new AtomicInteger();
    /** Closes pairs and hands their ports back; completes when the ports are free. */
    private final Function<List<SocketPair>, CompletableFuture<Void>> close;

    SocketPool(Function<List<SocketPair>, CompletableFuture<Void>> close) {
        this.close = close;
    }

    /** A pair whose call was released: it loses its owner (late packets are dropped) and waits for the next call. */
    void add(SocketPair pair) {
        pair.pooledAt = System.nanoTime();
        offer(pair, false);
    }

    /** A pair taken but not used (the session's other pair failed): first in line again, its rest kept. */
    void putBack(SocketPair pair) {
        offer(pair, true);
    }

    private void offer(SocketPair pair, boolean first) {
        pair.owner = null;
        idle.incrementAndGet();
        Deque<SocketPair> queue = pairs.computeIfAbsent(new Key(pair.loop, pair.side), l -> new ConcurrentLinkedDeque<>());
        if (first) {
            queue.offerFirst(pair);
        } else {
            queue.offerLast(pair);
        }
    }

    /** The longest-rested pair of the loop's pool for {@code side} if it rested {@code minRestNanos}, else null. */
    SocketPair take(EventLoop loop, Side side, long minRestNanos) {
        Deque<SocketPair> queue = pairs.get(new Key(loop, side));
        if (queue == null) {
            return null;
        }
        long now = System.nanoTime();
        SocketPair pair;
        while ((pair = queue.pollFirst()) != null) {
            if (now - pair.pooledAt < minRestNanos) {
                queue.offerFirst(pair); // the oldest is too fresh: so is every other
                return null;
            }
            idle.decrementAndGet();
            if (pair.usable()) {
                return pair;
            }
            close.apply(List.of(pair)); // a channel failed while pooled
        }
        return null;
    }

    /** The loop with the most pooled pairs of both sides, if one has a pair of each (a session needs both); else null. */
    EventLoop fullest() {
        Map<EventLoop, Integer> trunk = new java.util.HashMap<>();
        Map<EventLoop, Integer> inside = new java.util.HashMap<>();
        for (Map.Entry<Key, Deque<SocketPair>> e : pairs.entrySet()) {
            (e.getKey().side() == Side.TRUNK ? trunk : inside).merge(e.getKey().loop(), e.getValue().size(), Integer::sum);
        }
        EventLoop best = null;
        int most = 0;
        for (Map.Entry<EventLoop, Integer> e : trunk.entrySet()) {
            int both = Math.min(e.getValue(), inside.getOrDefault(e.getKey(), 0));
            if (both > most) {
                most = both;
                best = e.getKey();
            }
        }
        return best;
    }

    /**
     * Closes the pooled pairs that rested at least {@code minRestNanos} (the longest-rested come first in each
     * loop's pool); each future completes when its pairs' ports are free.
     */
    List<CompletableFuture<Void>> closeRested(long minRestNanos) {
        long now = System.nanoTime();
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Deque<SocketPair> queue : pairs.values()) {
            List<SocketPair> rested = new ArrayList<>();
            SocketPair pair;
            while ((pair = queue.pollFirst()) != null) {
                if (now - pair.pooledAt < minRestNanos) {
                    queue.offerFirst(pair);
                    break;
                }
                rested.add(pair);
            }
            if (!rested.isEmpty()) {
                idle.addAndGet(-rested.size()); // out of the pool now: a pair being closed waits for no call
                closing.add(close.apply(rested));
            }
        }
        return closing;
    }

    /** Pairs waiting for a call. */
    int idlePairs() {
        return idle.get();
    }
}
