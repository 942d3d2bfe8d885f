package io.trunkgate.proxy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.Test;

/**
 * Public (NAT) addresses per side (issue #15 item 5): other loopback addresses stand for the public ones. The SDP
 * toward each side and the Via / Record-Route carry the advertised addresses while the sockets are bound elsewhere;
 * the trunk side keeps the host name our certificate carries (CERT-7); the call completes.
 */
class PublicAddressTest {

    @Test
    void cert7_advertised_addresses_in_sdp_via_and_record_route_while_bound_elsewhere() throws Exception {
        int remotePort = RunningGateway.freePort();
        int uasPort = RunningGateway.freePort();
        int publicInsidePort = RunningGateway.freePort();
        int publicTrunkPort = RunningGateway.freePort();
        Path config = TrunkConfigDir.create("localhost", remotePort, "sip:127.0.0.1:5070;transport=udp", "off");
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                "trunkgate.inside.advertised-address", "127.0.0.2", "trunkgate.inside.advertised-port",
                String.valueOf(publicInsidePort), "trunkgate.trunk.advertised-port", String.valueOf(publicTrunkPort),
                "trunkgate.media.trunk.address", "127.0.0.1", "trunkgate.media.trunk.advertised-address", "127.0.0.2",
                "trunkgate.media.inside.address", "127.0.0.3", "trunkgate.media.inside.advertised-address", "127.0.0.4",
                "trunkgate.media.port-range", "43400-43499"))) {
            DevPki pki = DevPki.ensure(gateway.pki(), List.of());
            try (Stunnel remote = Stunnel.server(remotePort, uasPort, pki.peerChain(), pki.peerKey())) {
                Sipp.Running uas = Sipp.start("uas.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-p",
                        String.valueOf(uasPort), "-m", "1", "-trace_msg"));
                Thread.sleep(300);
                Sipp.Running pbx = Sipp.start("uac.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                        String.valueOf(RunningGateway.freePort()), "-s", "+13175550100", "-m", "1", "-timeout", "30s",
                        "-timeout_error", "-default_behaviors", "all,-abortunexp", "-trace_msg",
                        "127.0.0.1:" + gateway.insidePort()));
                pbx.await(40).assertCalls("PBX caller", 1);
                uas.await(20).assertCalls("remote", 1);

                // toward the remote: our trunk-side host name (CERT-7) with the public port, SDP with the public address
                String atRemote = uas.messages();
                assertTrue(atRemote.contains("Via: SIP/2.0/TLS localhost:" + publicTrunkPort + ";"), atRemote);
                assertTrue(atRemote.contains("<sip:localhost:" + publicTrunkPort + ";transport=tls;lr>"), atRemote);
                assertTrue(atRemote.contains("c=IN IP4 127.0.0.2"), atRemote);
                // toward the PBX: the inside's public address and port, SDP with the inside's public media address
                String atPbx = pbx.messages();
                assertTrue(atPbx.contains("<sip:127.0.0.2:" + publicInsidePort + ";transport=udp;lr>"), atPbx);
                assertTrue(atPbx.contains("c=IN IP4 127.0.0.4"), atPbx);

                // the relay's sockets (pooled a while after the call) are bound where configured, not where advertised
                int trunkMedia = mediaPort(atRemote);
                int insideMedia = mediaPort(atPbx);
                assertThrows(BindException.class, () -> bind("127.0.0.1", trunkMedia).close());
                bind("127.0.0.2", trunkMedia).close();
                assertThrows(BindException.class, () -> bind("127.0.0.3", insideMedia).close());
                bind("127.0.0.4", insideMedia).close();
            }
        }
    }

    /** The port of the last m=audio line of a SIPp message log: the relay's port in our last SDP. */
    private static int mediaPort(String messages) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(messages);
        int port = -1;
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) >= 43400 && Integer.parseInt(m.group(1)) <= 43499) {
                port = Integer.parseInt(m.group(1));
            }
        }
        assertTrue(port > 0, "no relay port in:\n" + messages);
        return port;
    }

    private static DatagramSocket bind(String address, int port) throws Exception {
        return new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), port));
    }
}
