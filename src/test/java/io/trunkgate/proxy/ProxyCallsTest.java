package io.trunkgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.LossyUdpRelay;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.Test;

/**
 * Calls through the proxy core with real SIPp peers: the remote over TLS (SIPp on TCP behind stunnel4, with the
 * spec profile) and the PBX on UDP (RFC 3261 16/17, ROUTE-1..5, TLS-7).
 */
class ProxyCallsTest {

    private static final String NUMBER = "+13175550100";

    /** remote UAC -> stunnel (client) -> trunkgate TLS listener -> trunkgate -> PBX UAS over UDP (none: null). */
    private Sipp.Result[] inbound(String uacScenario, String uasScenario, int calls, List<String> uasExtra,
            List<String> uacExtra) throws Exception {
        return inbound(uacScenario, uasScenario, calls, uasExtra, uacExtra, 0);
    }

    /** {@code loss}: the share of datagrams lost each way between trunkgate and the PBX. */
    private Sipp.Result[] inbound(String uacScenario, String uasScenario, int calls, List<String> uasExtra,
            List<String> uacExtra, double loss) throws Exception {
        int uasPort = RunningGateway.freePort();
        // near = trunkgate, far = the PBX: what trunkgate sends is lost (its own retransmissions must recover it)
        try (LossyUdpRelay link = new LossyUdpRelay(uasPort, loss, 0, 42)) {
            Sipp.Result[] r = inbound(uacScenario, uasScenario, calls, uasExtra, uacExtra, uasPort,
                    loss > 0 ? link.port() : uasPort);
            if (loss > 0) {
                System.out.println("UDP leg: " + link.dropped() + " datagrams dropped, " + link.passed() + " passed");
            }
            return r;
        }
    }

    private Sipp.Result[] inbound(String uacScenario, String uasScenario, int calls, List<String> uasExtra,
            List<String> uacExtra, int uasPort, int pbxPort) throws Exception {
        return inbound(uacScenario, uasScenario, calls, uasExtra, uacExtra, uasPort, pbxPort, "udp", g -> { });
    }

    /** {@code pbxTransport}: udp or tcp, the inside leg; {@code afterCalls} looks at the gateway before it stops. */
    private Sipp.Result[] inbound(String uacScenario, String uasScenario, int calls, List<String> uasExtra,
            List<String> uacExtra, int uasPort, int pbxPort, String pbxTransport,
            java.util.function.Consumer<RunningGateway> afterCalls) throws Exception {
        Path config = TrunkConfigDir.create("localhost", RunningGateway.freePort(),
                "sip:127.0.0.1:" + pbxPort + ";transport=" + pbxTransport, "off");
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                "trunkgate.sip.t1", "100", "trunkgate.sip.t4", "3000"));
                Stunnel tunnel = Stunnel.client(RunningGateway.freePort(), gateway.trunkPort(),
                        gateway.pki().resolve(DevPki.ROOT), "localhost")) {
            List<String> uas = new ArrayList<>(List.of("-t", pbxTransport.equals("tcp") ? "t1" : "u1", "-i", "127.0.0.1",
                    "-p", String.valueOf(uasPort),
                    "-m", String.valueOf(calls)));
            uas.addAll(uasExtra);
            Sipp.Running pbx = uasScenario == null ? null : Sipp.start(uasScenario, uas);
            Thread.sleep(300);
            List<String> uac = new ArrayList<>(List.of("-t", "t1", "-i", "127.0.0.1", "-s", NUMBER, "-m",
                    String.valueOf(calls), "-r", "50", "-l", "200", "-timeout", "120s", "-timeout_error",
                    "-default_behaviors", "all,-abortunexp", "127.0.0.1:" + tunnel.acceptPort()));
            uac.addAll(uacExtra);
            Sipp.Result caller = Sipp.run(uacScenario, uac, 150);
            Sipp.Result callee = pbx == null ? null : pbx.await(30);
            afterCalls.accept(gateway);
            return new Sipp.Result[] {caller, callee};
        }
    }

    /** PBX UAC over UDP -> trunkgate inside -> outbound TLS (client role) -> stunnel (server) -> remote UAS over TCP. */
    private Sipp.Result[] outbound(String uacScenario, String uasScenario, int calls, int rate, List<String> uacExtra)
            throws Exception {
        return outbound(uacScenario, uasScenario, calls, rate, uacExtra, 0);
    }

    /** {@code loss}: the share of datagrams lost each way between the PBX and trunkgate. */
    private Sipp.Result[] outbound(String uacScenario, String uasScenario, int calls, int rate, List<String> uacExtra,
            double loss) throws Exception {
        return outbound(uacScenario, uasScenario, calls, rate, uacExtra, loss, "localhost");
    }

    /** {@code remoteHosts}: the trunk's remote hosts, as a YAML list body; localhost is the live one. */
    private Sipp.Result[] outbound(String uacScenario, String uasScenario, int calls, int rate, List<String> uacExtra,
            double loss, String remoteHosts) throws Exception {
        int remotePort = RunningGateway.freePort();
        int uasPort = RunningGateway.freePort();
        Path config = TrunkConfigDir.create(remoteHosts, remotePort, "sip:127.0.0.1:5070;transport=udp", "off");
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                "trunkgate.sip.t1", "100"))) {
            DevPki pki = DevPki.ensure(gateway.pki(), List.of());
            try (Stunnel remote = Stunnel.server(remotePort, uasPort, pki.peerChain(), pki.peerKey())) {
                Sipp.Running uas = Sipp.start(uasScenario, List.of("-t", "t1", "-i", "127.0.0.1", "-p",
                        String.valueOf(uasPort), "-m", String.valueOf(calls)));
                Thread.sleep(300);
                List<String> uac = new ArrayList<>(List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                        String.valueOf(RunningGateway.freePort()), "-s", NUMBER, "-m", String.valueOf(calls), "-r",
                        String.valueOf(rate), "-l", "200", "-timeout", "120s", "-timeout_error", "-default_behaviors",
                        "all,-abortunexp"));
                uac.addAll(uacExtra);
                // near = the PBX, far = trunkgate: what trunkgate sends back is lost
                try (LossyUdpRelay link = new LossyUdpRelay(gateway.insidePort(), 0, loss, 7)) {
                    uac.add("127.0.0.1:" + (loss > 0 ? link.port() : gateway.insidePort()));
                    Sipp.Result caller = Sipp.run(uacScenario, uac, 150);
                    Sipp.Result callee = uas.await(30);
                    if (loss > 0) {
                        System.out.println("UDP leg: " + link.dropped() + " datagrams dropped, " + link.passed() + " passed");
                    }
                    return new Sipp.Result[] {caller, callee};
                }
            }
        }
    }

    private static int openTransactions(RunningGateway gateway) {
        return gateway.camel().getRegistry().lookupByNameAndType("proxyCore", ProxyCore.class).transactions();
    }

    private static void assertCalls(Sipp.Result[] r, int calls) {
        r[0].assertCalls("caller", calls);
        r[1].assertCalls("callee", calls);
    }

    @Test
    void inbound_invite_180_200_ack_bye_over_tls_to_udp() throws Exception {
        assertCalls(inbound("uac.xml", "uas.xml", 10, List.of(), List.of()), 10);
    }

    @Test
    void outbound_invite_180_200_ack_bye_over_udp_to_tls() throws Exception {
        assertCalls(outbound("uac.xml", "uas.xml", 10, 50, List.of()), 10);
    }

    @Test
    void outbound_reinvite_and_bye_from_the_remote() throws Exception {
        assertCalls(outbound("uac-reinvite.xml", "uas-reinvite.xml", 5, 50, List.of()), 5);
    }

    @Test
    void inbound_pbx_that_never_answers_gives_408_after_timer_b() throws Exception {
        // nothing listens at the PBX address: 64*T1 (T1 = 100 ms here) after the INVITE, 408 goes back
        Sipp.Result[] r = inbound("uac-timeout.xml", null, 2, List.of(), List.of());
        r[0].assertCalls("caller", 2);
    }

    // UDP loss: 10% of what trunkgate sends on the UDP leg is lost, and its own retransmissions must recover every
    // call. (Loss of what SIPp sends is not tested: SIPp does not answer a retransmitted request once it has moved
    // on in its scenario, nor re-ACK a retransmitted 2xx, so those calls fail inside SIPp whatever the proxy does.)

    @Test
    void inbound_udp_loss_toward_the_pbx_is_recovered_by_timers_a_e_and_the_ack_resent_for_a_2xx() throws Exception {
        assertCalls(inbound("uac.xml", "uas.xml", 50, List.of(), List.of(), 0.10), 50);
    }

    @Test
    void outbound_udp_loss_toward_the_pbx_is_recovered_by_2xx_retransmission_and_answered_retransmissions()
            throws Exception {
        assertCalls(outbound("uac.xml", "uas.xml", 50, 25, List.of(), 0.10), 50);
    }

    @Test
    void route5_a_remote_host_that_cannot_be_reached_moves_the_call_to_the_next_one() throws Exception {
        // calls are spread over both hosts; those that pick the dead one first must fail over to localhost
        assertCalls(outbound("uac.xml", "uas.xml", 20, 20, List.of(), 0, "dead.invalid, localhost"), 20);
    }

    @Test
    void inbound_500_calls_none_failed() throws Exception {
        assertCalls(inbound("uac.xml", "uas.xml", 500, List.of(), List.of()), 500);
    }

    @Test
    void outbound_500_calls_none_failed() throws Exception {
        assertCalls(outbound("uac.xml", "uas.xml", 500, 50, List.of()), 500);
    }

    @Test
    void inbound_calls_to_a_pbx_on_udp_keep_the_bye_client_transactions_for_timer_k_only() throws Exception {
        int pbxPort = RunningGateway.freePort();
        int[] open = new int[2];
        assertCalls(inbound("uac.xml", "uas.xml", 10, List.of(), List.of(), pbxPort, pbxPort, "udp", g -> {
            open[0] = openTransactions(g);
            try {
                Thread.sleep(3500); // T4 is 3 s here: the last BYE was answered well under 0.5 s before the first count
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            open[1] = openTransactions(g);
        }), 10);
        // the BYEs toward the UDP PBX keep their client transactions for T4 (timer K, RFC 3261 17.1.2.2), then only
        // each INVITE's server and client transaction linger (64*T1 after the 2xx, RFC 6026)
        assertEquals(30, open[0], "open transactions right after 10 calls");
        assertEquals(20, open[1], "open transactions once T4 has passed");
    }

    @Test
    void inbound_call_to_a_pbx_on_tcp_leaves_only_the_invite_transactions_lingering() throws Exception {
        int pbxPort = RunningGateway.freePort();
        int[] open = new int[1];
        assertCalls(inbound("uac.xml", "uas.xml", 10, List.of(), List.of(), pbxPort, pbxPort, "tcp",
                g -> open[0] = openTransactions(g)), 10);
        // both legs reliable (TLS, TCP): the BYE transactions end with their response (timers J and K are 0,
        // RFC 3261 17.1.2.2, 17.2.2); each INVITE's server and client transaction linger 64*T1 after the 2xx (RFC 6026)
        assertEquals(20, open[0], "open transactions after 10 calls");
    }

    @Test
    void inbound_486_busy_is_acked_hop_by_hop_and_forwarded() throws Exception {
        assertCalls(inbound("uac-busy.xml", "uas-busy.xml", 5, List.of(), List.of()), 5);
    }

    @Test
    void inbound_cancel_before_answer_gives_200_and_487() throws Exception {
        assertCalls(inbound("uac-cancel.xml", "uas-cancel.xml", 5, List.of(), List.of()), 5);
    }

    @Test
    void inbound_reinvite_and_bye_from_the_callee() throws Exception {
        assertCalls(inbound("uac-reinvite.xml", "uas-reinvite.xml", 5, List.of(), List.of()), 5);
    }
}
