package io.trunkgate.observe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.tls.DevPki;

/**
 * A gateway with one trunk "test" and inbound SIPp calls through it: the remote's SIPp UAC on TCP behind a stunnel
 * client (TLS, the spec profile) to the TLS listener, the PBX a SIPp UAS on UDP at {@link #pbxPort}.
 */
final class InboundCalls implements AutoCloseable {

    static final String NUMBER = "+13175550100";

    final int pbxPort;
    final RunningGateway gateway;
    private final Stunnel tunnel;

    /** @param insideTransport udp, or tcp toward a port nothing listens on (the inside unreachable: 503) */
    InboundCalls(Map<String, String> overrides, String insideTransport) throws Exception {
        pbxPort = RunningGateway.freePort();
        Path config = TrunkConfigDir.create("localhost", RunningGateway.freePort(),
                "sip:127.0.0.1:" + pbxPort + ";transport=" + insideTransport, "off");
        Map<String, String> all = new HashMap<>(overrides);
        all.put("trunkgate.config.dir", config.toString());
        gateway = RunningGateway.start(all);
        tunnel = Stunnel.client(RunningGateway.freePort(), gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT), "localhost");
    }

    /** {@code calls} calls of {@code uac} against a UAS running {@code uas} (null: no UAS); the caller's result. */
    Sipp.Result[] call(String uac, String uas, int calls) throws Exception {
        Sipp.Running pbx = uas == null ? null : Sipp.start(uas, List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                String.valueOf(pbxPort), "-m", String.valueOf(calls)));
        try {
            Thread.sleep(1000); // the UAS binds its port (slower on a loaded machine: UDP retransmissions cover the rest)
            // a port of its own per run: its Via sent-by differs, so the branches SIPp numbers from 1 again never match
            // the transactions of the previous run lingering in the gateway (RFC 3261 17.2.3)
            List<String> args = new ArrayList<>(List.of("-t", "t1", "-i", "127.0.0.1", "-p",
                    String.valueOf(RunningGateway.freePort()), "-s", NUMBER, "-m",
                    String.valueOf(calls), "-r", "20", "-l", "50", "-timeout", "60s", "-timeout_error",
                    "-default_behaviors", "all,-abortunexp", "127.0.0.1:" + tunnel.acceptPort()));
            Sipp.Result caller = Sipp.run(uac, args, 90);
            Sipp.Result callee = pbx == null ? null : pbx.await(30);
            return new Sipp.Result[] {caller, callee};
        } finally {
            if (pbx != null) {
                pbx.stop();
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            tunnel.close();
        } finally {
            gateway.close();
        }
    }
}
