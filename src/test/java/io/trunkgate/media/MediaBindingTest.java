package io.trunkgate.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.media.relay.MediaRelayService;
import org.junit.jupiter.api.Test;

/** TrunkgateConfiguration binds srtpBridge and runs the relay as a service of the context; the route names the step. */
class MediaBindingTest {

    @Test
    void srtpBridgeIsBoundAndTheRelayLivesWithTheContext() throws Exception {
        MediaRelayService relay;
        try (RunningGateway gw = RunningGateway.start(Map.of("trunkgate.media.port-range", "42300-42399"))) {
            assertInstanceOf(SrtpBridgeProcessor.class, gw.camel().getRegistry().lookupByName("srtpBridge"));
            relay = assertInstanceOf(MediaRelayService.class, gw.camel().getRegistry().lookupByName("mediaRelay"));
            assertTrue(relay.isStarted());
            assertEquals(42300, relay.settings().portMin());
            assertEquals(0, relay.relay().portsInUse());
            // the context started, so the route's ref resolved; and the step sits before sipForward
            String flow = Files.readString(Path.of("routes/call-flow.yaml"));
            // (callState, the HA note of what changed, issue #18, sits between them: it sees the rewritten SDP)
            assertTrue(flow.matches("(?s).*ref: srtpBridge[^\\n]*\\n\\s*- process:\\s*\\n\\s*ref: callState[^\\n]*\\n"
                    + "\\s*- process:\\s*\\n\\s*ref: sipForward.*"), flow);
        }
        assertTrue(relay.isStopped(), "the relay stops with the context");
    }
}
