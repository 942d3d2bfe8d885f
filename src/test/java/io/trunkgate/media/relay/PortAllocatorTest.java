package io.trunkgate.media.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** RTP on even ports, RTCP on the next (RFC 3550 11); a freed pair is handed out again only after the others. */
class PortAllocatorTest {

    @Test
    void evenPairsRoundRobinUntilExhausted() {
        PortAllocator ports = new PortAllocator(40001, 40010); // odd low end: the first pair is 40002/40003
        assertEquals(4, ports.pairs());
        assertEquals(OptionalInt.of(40002), ports.reserve());
        assertEquals(OptionalInt.of(40004), ports.reserve());
        ports.release(40002);
        // the cursor goes on past the freed pair: late packets of its call find no new call there yet
        assertEquals(OptionalInt.of(40006), ports.reserve());
        assertEquals(OptionalInt.of(40008), ports.reserve());
        assertEquals(OptionalInt.of(40002), ports.reserve(), "wraps to the start of the range");
        assertEquals(OptionalInt.empty(), ports.reserve());
        assertEquals(8, ports.portsInUse());
        ports.release(40006);
        assertEquals(OptionalInt.of(40006), ports.reserve(), "the only free pair, found from the cursor's wrap");
        assertEquals(OptionalInt.empty(), ports.reserve());
    }

    @Test
    void aRestoredCallReservesItsOwnPair() {
        PortAllocator ports = new PortAllocator(40000, 40007);
        assertTrue(ports.reserve(40004));
        assertFalse(ports.reserve(40004), "taken");
        assertFalse(ports.reserve(40005), "odd: an RTCP port");
        assertFalse(ports.reserve(40008), "outside the range");
        assertEquals(OptionalInt.of(40000), ports.reserve());
        assertEquals(OptionalInt.of(40002), ports.reserve());
        assertEquals(OptionalInt.of(40006), ports.reserve(), "skips the restored pair");
    }
}
