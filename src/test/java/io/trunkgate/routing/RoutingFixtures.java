package io.trunkgate.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test configurations (loopback sources and targets only). */
final class RoutingFixtures {

    private RoutingFixtures() {
    }

    static final String REGIONS = """
            regions:
              us-west-2:
                proxies: [lb01.pc-voice.usw2.pure.cloud, lb02.pc-voice.usw2.pure.cloud,
                          lb03.pc-voice.usw2.pure.cloud, lb04.pc-voice.usw2.pure.cloud]
              eu-central-1:
                proxies: [lb01.byoc.eu-central-1.mypurecloud.de, lb02.byoc.eu-central-1.mypurecloud.de,
                          lb03.byoc.eu-central-1.mypurecloud.de, lb04.byoc.eu-central-1.mypurecloud.de]
            """;

    /** acme: region us-west-2; beta: two named hosts on 5062; gamma: SRV. */
    static final String TRUNKS = """
            routing:
              default-trunk: acme
            trunks:
              - id: acme
                role: customer
                tgrp: acme-tg1
                trunk-context: example.com
                inbound:
                  sources: [127.0.0.0/24, "::1"]
                  dnis: ["+1317555*"]
                  fqdn: [acme.example.com]
                remote:
                  region: us-west-2
                  trust: byoc-cloud
                inside:
                  target: "sip:127.0.0.5:5060;transport=udp"
                media:
                  srtp: required
              - id: beta
                role: cloud
                tgrp: beta-tg
                trunk-context: example.net
                inbound:
                  sources: [127.0.1.0/24]
                  dnis: ["+13175550100", "+1999*"]
                  fqdn: [beta.example.net]
                remote:
                  hosts: [sbc1.beta.example, sbc2.beta.example]
                  port: 5062
                inside:
                  target: "sip:127.0.0.6:5070;transport=tcp"
                media:
                  srtp: optional
                outbound:
                  numbers: ["+44*", "+4420?"]
              - id: gamma
                role: cloud
                inbound:
                  sources: [127.0.2.0/24]
                  fqdn: [gamma.example.org]
                remote:
                  srv: _sips._tcp.gamma.example.org
                inside:
                  target: "sip:pbx@127.0.0.7:5080"
                outbound:
                  numbers: ["+33*"]
            """;

    static Path write(Path dir, String trunks, String regions) {
        try {
            Files.writeString(dir.resolve("trunks.yaml"), trunks);
            if (regions != null) {
                Files.writeString(dir.resolve("regions.yaml"), regions);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RoutingConfig config(Path dir) {
        return RoutingConfig.load(write(dir, TRUNKS, REGIONS));
    }

    /** SRV records of _sips._tcp.gamma.example.org. */
    static final SrvResolver SRV = name -> name.equals("_sips._tcp.gamma.example.org")
            ? List.of(new SrvResolver.SrvRecord(10, 60, 5061, "a.gamma.example.org."),
                    new SrvResolver.SrvRecord(10, 40, 5063, "b.gamma.example.org"),
                    new SrvResolver.SrvRecord(20, 0, 5061, "c.gamma.example.org"),
                    new SrvResolver.SrvRecord(10, 10, 5061, "192.0.2.1"))
            : List.of();
}
