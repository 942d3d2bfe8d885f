package io.trunkgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The ring of lingering things: each goes its fixed delay after it was added, oldest first, none before its time. */
class LingeringTest {

    private static final long MS = 1_000_000L;

    @Test
    void eachGoesItsDelayAfterItWasAddedOldestFirst() {
        List<Integer> gone = new ArrayList<>();
        Lingering<Integer> ring = new Lingering<>(32_000, gone::add);
        long t0 = 5_000 * MS;
        ring.add(1, t0);
        ring.add(2, t0 + 10 * MS);
        ring.add(3, t0 + 20 * MS);

        assertEquals(0, ring.expire(t0 + 31_999 * MS));
        assertEquals(0, ring.expire(t0));
        assertEquals(1, ring.expire(t0 + 32_000 * MS)); // due exactly now: goes
        assertEquals(List.of(1), gone);
        assertEquals(2, ring.expire(t0 + 40_000 * MS));
        assertEquals(List.of(1, 2, 3), gone);
        assertEquals(0, ring.size());
    }

    /** Past its first capacity and around the ring's end while partly expired, nothing is lost or reordered. */
    @Test
    void growsAndWrapsWithoutLosingOrReordering() {
        List<Integer> gone = new ArrayList<>();
        Lingering<Integer> ring = new Lingering<>(100, gone::add);
        long now = 0;
        int added = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 900; i++) { // 1,800 held at once: the ring grows past 1,024, then its tail wraps
                ring.add(added++, now);
            }
            ring.expire(now + 100 * MS - 1); // due: everything added before this round, none of this round
            assertEquals(900, ring.size());
            now += MS;
        }
        ring.expire(Long.MAX_VALUE / 2);
        assertEquals(IntStream.range(0, added).boxed().toList(), gone);
    }

    /** nanoTime wraps: due is compared by difference, so a deadline past Long.MAX_VALUE still goes at its time. */
    @Test
    void dueTimesAcrossTheNanoTimeWrap() {
        List<String> gone = new ArrayList<>();
        Lingering<String> ring = new Lingering<>(10, gone::add);
        long near = Long.MAX_VALUE - 5 * MS;
        ring.add("a", near);
        assertEquals(0, ring.expire(near + 9 * MS));
        assertEquals(1, ring.expire(near + 10 * MS));
        assertEquals(List.of("a"), gone);
    }
}
