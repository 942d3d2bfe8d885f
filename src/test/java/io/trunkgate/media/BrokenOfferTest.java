package io.trunkgate.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.trunkgate.admission.CallAdmission;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.peers.SipWire;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.Test;

/**
 * A malformed SDP offer costs nothing (issue #17 item 5): an INVITE whose SDP has an address that is not one, a port
 * out of range or no c= for its stream gets 488 with a Warning naming what is wrong, and takes no media port; five
 * times the media range's call capacity of them in a row leave the range free, and a normal call right after
 * succeeds (before the fix, 250 such INVITEs filled a 1,000-port range and every call got 503 for a minute).
 */
class BrokenOfferTest {

    /** 40 ports: each call holds two RTP/RTCP pairs, so the range carries 10 calls. */
    private static final String RANGE = "31000-31039";
    private static final int CAPACITY = 10;

    private static final String[][] BROKEN = {
        {"c=IN IP4 127.0.0.300\r\n", "m=audio 40000 RTP/AVP 0\r\n", "127.0.0.300 is not an IPv4 address"},
        {"c=IN IP4 127.0.0.1\r\n", "m=audio 70000 RTP/AVP 0\r\n", "port 70000 is out of range"},
        {"", "m=audio 40000 RTP/AVP 0\r\n", "no c= line"},
    };

    private static String invite(String callId, int localPort, String connection, String media) {
        String sdp = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\n" + connection + "t=0 0\r\n" + media
                + "a=rtpmap:0 PCMU/8000\r\n";
        return "INVITE sip:+13175550100@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bK" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:pbx@127.0.0.1>;tag=" + callId + "\r\n"
                + "To: <sip:+13175550100@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:pbx@127.0.0.1:" + localPort + ">\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    @Test
    void five_times_the_range_of_broken_offers_get_488_take_no_port_and_a_normal_call_succeeds() throws Exception {
        int remotePort = RunningGateway.freePort();
        int uasPort = RunningGateway.freePort();
        Path config = TrunkConfigDir.create("localhost", remotePort, "sip:127.0.0.1:5070;transport=udp", "optional");
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                "trunkgate.sip.t1", "100", "trunkgate.media.port-range", RANGE))) {
            MediaRelayService relay = gateway.camel().getRegistry().lookupByNameAndType(TrunkgateBeans.MEDIA_RELAY,
                    MediaRelayService.class);
            try (SipWire pbx = SipWire.udp(gateway.insidePort())) {
                for (int i = 0; i < 5 * CAPACITY; i++) {
                    String[] broken = BROKEN[i % BROKEN.length];
                    String callId = "broken-offer-" + i;
                    pbx.send(invite(callId, pbx.localPort(), broken[0], broken[1]));
                    String answer = finalAnswer(pbx, callId);
                    assertNotNull(answer, "no final answer to " + callId);
                    assertEquals(488, SipWire.status(answer), answer);
                    assertTrue(answer.contains("Warning: 399 trunkgate") && answer.contains(broken[2]),
                            "the 488 names what is wrong (" + broken[2] + "): " + answer);
                    assertEquals(0, relay.relay().portsInUse(), "media ports held after " + callId);
                }
            }
            assertEquals(0, relay.relay().sessionCount(), "media sessions left");
            CallAdmission admission = gateway.camel().getRegistry().lookupByNameAndType(TrunkgateBeans.CALL_ADMISSION,
                    CallAdmission.class);
            for (int i = 0; i < 50 && admission.activeCalls() > 0; i++) {
                Thread.sleep(100); // the last refusal's call end is told on the sending thread
            }
            assertEquals(0, admission.activeCalls(), "calls still counted by admission");
            assertTrue(gateway.logLines().stream().noneMatch(l -> l.startsWith("ERROR")), "an ERROR in the log");
            long lines488 = gateway.logLines().stream().filter(l -> l.contains("488 to the inside INVITE")).count();
            assertTrue(lines488 <= BROKEN.length, lines488 + " log lines for " + 5 * CAPACITY
                    + " refused offers from one source: repeated ones are only counted (one per cause and source)");

            DevPki pki = DevPki.ensure(gateway.pki(), List.of());
            try (Stunnel remote = Stunnel.server(remotePort, uasPort, pki.peerChain(), pki.peerKey())) {
                Sipp.Running uas = Sipp.start("uas.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-p",
                        String.valueOf(uasPort), "-m", "3"));
                Thread.sleep(300);
                Sipp.Result caller = Sipp.run("uac.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                        String.valueOf(RunningGateway.freePort()), "-s", "+13175550100", "-m", "3", "-r", "10",
                        "-timeout", "60s", "-timeout_error", "-default_behaviors", "all,-abortunexp",
                        "127.0.0.1:" + gateway.insidePort()), 90);
                Sipp.Result callee = uas.await(30);
                caller.assertCalls("normal calls after the broken offers", 3);
                callee.assertCalls("the remote", 3);
            }
        }
    }

    private static String finalAnswer(SipWire wire, String callId) throws Exception {
        long end = System.currentTimeMillis() + 5000;
        long left;
        while ((left = end - System.currentTimeMillis()) > 0) {
            String m = wire.receive((int) left);
            if (m != null && callId.equals(SipWire.callId(m)) && SipWire.status(m) >= 200) {
                return m;
            }
        }
        return null;
    }
}
