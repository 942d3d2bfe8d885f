package io.trunkgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.Test;

/** A real carrier-side peer: SIPp sends OPTIONS over TLS (through stunnel4, TLS 1.2, P-384, chain + name verified). */
class SippOptionsOverTlsTest {

    @Test
    void tls3_sipp_options_over_tls_gets_200() throws Exception {
        try (RunningGateway gateway = RunningGateway.start();
                Stunnel tunnel = Stunnel.client(RunningGateway.freePort(), gateway.trunkPort(),
                        gateway.pki().resolve(DevPki.ROOT), "localhost")) {
            Sipp.Result r = Sipp.run("options.xml", List.of("-t", "t1", "-m", "20", "-r", "20",
                    "-timeout", "20s", "-timeout_error", "-max_recv_loops", "1000",
                    "127.0.0.1:" + tunnel.acceptPort()), 60);
            assertEquals(0, r.exitCode(), r.output() + "\nstunnel:\n" + tunnel.log());
        }
    }
}
