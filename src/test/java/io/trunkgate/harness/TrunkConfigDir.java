package io.trunkgate.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A config folder for a test gateway: one trunk toward the given remote and inside target, and the shipped regions. */
public final class TrunkConfigDir {

    private TrunkConfigDir() {
    }

    /**
     * @param remoteHost the remote's host name (TLS, client role) and {@code remotePort}
     * @param insideTarget the PBX, e.g. {@code sip:127.0.0.1:5070;transport=udp}
     * @param srtp required | optional | off
     */
    public static Path create(String remoteHost, int remotePort, String insideTarget, String srtp) throws IOException {
        return create("customer", remoteHost, remotePort, insideTarget, srtp);
    }

    /**
     * @param role       customer (the remote is the cloud edge) or cloud (the remote is a customer endpoint)
     * @param trunkLines more keys of the trunk, each a line indented as the trunk's own (e.g. {@code "    limits:"})
     */
    public static Path create(String role, String remoteHost, int remotePort, String insideTarget, String srtp,
            String... trunkLines) throws IOException {
        return write(role, "hosts: [" + remoteHost + "]\n      port: " + remotePort, insideTarget, srtp, trunkLines);
    }

    /** A trunk whose remote has its SRV name (ROUTE-4): {@code _sips._tcp.NAME}. */
    public static Path createSrv(String role, String srv, String insideTarget, String srtp, String... trunkLines)
            throws IOException {
        return write(role, "srv: " + srv, insideTarget, srtp, trunkLines);
    }

    private static Path write(String role, String remote, String insideTarget, String srtp, String... trunkLines)
            throws IOException {
        Path dir = Files.createTempDirectory("trunkgate-config");
        Files.copy(Path.of("config/regions.yaml"), dir.resolve("regions.yaml"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("trunks.yaml"), String.join("\n",
                "routing:",
                "  inbound: [tgrp, dnis, fqdn]",
                "  outbound: [tgrp, number, default]",
                "  default-trunk: test",
                "trunks:",
                "  - id: test",
                "    role: " + role,
                "    tgrp: test-tg1",
                "    trunk-context: example.com",
                "    inbound:",
                "      sources: [127.0.0.0/8]",
                "      dnis: [\"+1317555*\"]",
                "      fqdn: [localhost]",
                "    remote:",
                "      " + remote,
                "    inside:",
                "      target: \"" + insideTarget + "\"",
                "    media:",
                "      srtp: " + srtp,
                "    outbound:",
                "      numbers: [\"+*\"]",
                String.join("\n", trunkLines),
                ""));
        return dir;
    }
}
