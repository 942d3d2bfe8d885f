package io.trunkgate.proxy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.Sipp;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.Test;

/**
 * A secure trunk on one machine: two trunkgate instances, one as the customer endpoint and one as the cloud edge,
 * each with its own dev PKI, the trunk between them over TLS (TLS-7: the caller's side opens the connection and
 * checks the other's certificate), SIPp on each inside (docs/try-a-secure-trunk.md).
 */
class BackToBackTrunkTest {

    @Test
    void tls7_calls_cross_a_trunk_between_a_customer_and_a_cloud_instance() throws Exception {
        int uasPort = RunningGateway.freePort();
        int cloudTrunkPort = RunningGateway.freePort();
        int customerTrunkPort = RunningGateway.freePort();
        Path cloudConfig = TrunkConfigDir.create("cloud", "localhost", customerTrunkPort,
                "sip:127.0.0.1:" + uasPort + ";transport=udp", "required");
        Path customerConfig = TrunkConfigDir.create("customer", "localhost", cloudTrunkPort,
                "sip:127.0.0.1:5070;transport=udp", "required");
        try (RunningGateway cloud = RunningGateway.start(Map.of("trunkgate.config.dir", cloudConfig.toString(),
                "trunkgate.trunk.port", String.valueOf(cloudTrunkPort)))) {
            Path cloudRoot = cloud.pki().resolve(DevPki.ROOT);
            try (RunningGateway customer = RunningGateway.start(Map.of("trunkgate.config.dir", customerConfig.toString(),
                    "trunkgate.trunk.port", String.valueOf(customerTrunkPort),
                    "trunkgate.tls.trust", cloudRoot.toString()))) {
                Sipp.Running uas = Sipp.start("uas.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                        String.valueOf(uasPort), "-m", "20"));
                Thread.sleep(300);
                Sipp.Result caller = Sipp.run("uac.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                        String.valueOf(RunningGateway.freePort()), "-s", "+13175550100", "-m", "20", "-r", "20",
                        "-timeout", "60s", "-timeout_error", "-default_behaviors", "all,-abortunexp",
                        "127.0.0.1:" + customer.insidePort()), 90);
                Sipp.Result callee = uas.await(30);
                caller.assertCalls("caller on the customer's inside", 20);
                callee.assertCalls("callee on the cloud's inside", 20);
            }
        }
    }
}
