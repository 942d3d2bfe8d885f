package io.trunkgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.trunkgate.config.ConfigException;
import io.trunkgate.media.sdp.MediaSecurity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** trunks.yaml / regions.yaml validation: each error names the file, the key, the rule and the requirement ID. */
class RoutingConfigTest {

    @TempDir
    Path dir;

    private static final String HEAD = "trunks:\n  - id: t\n    role: customer\n";
    private static final String OK_IN = "    inbound: {sources: [127.0.0.1]}\n";
    private static final String OK_REMOTE = "    remote: {hosts: [sbc.example.com]}\n";
    private static final String OK_INSIDE = "    inside: {target: \"sip:127.0.0.1:5060\"}\n";

    private static String trunk(String in, String remote, String inside, String extra) {
        return HEAD + in + remote + inside + extra;
    }

    /** id, trunks.yaml, expected key, expected words of the rule. */
    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("CERT-6 an IP address as remote host",
                        trunk(OK_IN, "    remote: {hosts: [sbc.example.com, 127.0.0.1]}\n", OK_INSIDE, ""),
                        "trunks[0].remote.hosts[1]", "CERT-6"),
                Arguments.of("CERT-6 an IPv6 address as remote host",
                        trunk(OK_IN, "    remote: {hosts: [\"::1\"]}\n", OK_INSIDE, ""),
                        "trunks[0].remote.hosts[0]", "CERT-6"),
                Arguments.of("CERT-11 a wildcard remote host",
                        trunk(OK_IN, "    remote: {hosts: [\"*.example.com\"]}\n", OK_INSIDE, ""),
                        "trunks[0].remote.hosts[0]", "CERT-11"),
                Arguments.of("CERT-12 an underscore in a remote host",
                        trunk(OK_IN, "    remote: {hosts: [_sips._tcp.example.com]}\n", OK_INSIDE, ""),
                        "trunks[0].remote.hosts[0]", "CERT-12"),
                Arguments.of("REGION-1 an unknown region",
                        trunk(OK_IN, "    remote: {region: mars-1}\n", OK_INSIDE, ""),
                        "trunks[0].remote.region", "REGION-1"),
                Arguments.of("REGION-1/ROUTE-4 region and hosts together",
                        trunk(OK_IN, "    remote: {region: us-west-2, hosts: [a.example.com]}\n", OK_INSIDE, ""),
                        "trunks[0].remote", "exactly one of region, hosts, srv"),
                Arguments.of("REGION-1 no remote",
                        trunk(OK_IN, "", OK_INSIDE, ""), "trunks[0].remote", "is required"),
                Arguments.of("ROUTE-4 SRV that is not _sips._tcp",
                        trunk(OK_IN, "    remote: {srv: _sip._udp.example.com}\n", OK_INSIDE, ""),
                        "trunks[0].remote.srv", "ROUTE-4"),
                Arguments.of("ROUTE-4 port beside srv",
                        trunk(OK_IN, "    remote: {srv: _sips._tcp.example.com, port: 5061}\n", OK_INSIDE, ""),
                        "trunks[0].remote.port", "ROUTE-4"),
                Arguments.of("TLS-3 a bad port",
                        trunk(OK_IN, "    remote: {hosts: [a.example.com], port: 70000}\n", OK_INSIDE, ""),
                        "trunks[0].remote.port", "1..65535"),
                Arguments.of("TLS-7 no inbound sources",
                        trunk("    inbound: {dnis: [\"+1*\"]}\n", OK_REMOTE, OK_INSIDE, ""),
                        "trunks[0].inbound.sources", "TLS-7"),
                Arguments.of("TLS-7 a host name as source",
                        trunk("    inbound: {sources: [sbc.example.com]}\n", OK_REMOTE, OK_INSIDE, ""),
                        "trunks[0].inbound.sources[0]", "TLS-7"),
                Arguments.of("TLS-7 a bad prefix length",
                        trunk("    inbound: {sources: [127.0.0.0/33]}\n", OK_REMOTE, OK_INSIDE, ""),
                        "trunks[0].inbound.sources[0]", "TLS-7"),
                Arguments.of("ROUTE-2 a bad DNIS pattern",
                        trunk("    inbound: {sources: [127.0.0.1], dnis: [\"+1*317\"]}\n", OK_REMOTE, OK_INSIDE, ""),
                        "trunks[0].inbound.dnis[0]", "ROUTE-2"),
                Arguments.of("ROUTE-3 an IP address as FQDN",
                        trunk("    inbound: {sources: [127.0.0.1], fqdn: [127.0.0.1]}\n", OK_REMOTE, OK_INSIDE, ""),
                        "trunks[0].inbound.fqdn[0]", "ROUTE-3"),
                Arguments.of("URI-5 tgrp without trunk-context",
                        trunk(OK_IN, OK_REMOTE, OK_INSIDE, "    tgrp: tg1\n"),
                        "trunks[0].trunk-context", "URI-5"),
                Arguments.of("URI-4 trunk-context without tgrp",
                        trunk(OK_IN, OK_REMOTE, OK_INSIDE, "    trunk-context: example.com\n"),
                        "trunks[0].tgrp", "URI-4"),
                Arguments.of("URI-4 a tgrp with a character RFC 4904 forbids",
                        trunk(OK_IN, OK_REMOTE, OK_INSIDE, "    tgrp: \"tg;1\"\n    trunk-context: example.com\n"),
                        "trunks[0].tgrp", "URI-4"),
                Arguments.of("SRTP-2 a bad srtp value",
                        trunk(OK_IN, OK_REMOTE, OK_INSIDE, "    media: {srtp: maybe}\n"),
                        "trunks[0].media.srtp", "SRTP-2"),
                Arguments.of("TLS-7 a bad role",
                        "trunks:\n  - id: t\n    role: carrier\n" + OK_IN + OK_REMOTE + OK_INSIDE,
                        "trunks[0].role", "customer, cloud"),
                Arguments.of("URI-1 an inside target that is not a SIP URI",
                        trunk(OK_IN, OK_REMOTE, "    inside: {target: \"http://127.0.0.1/\"}\n", ""),
                        "trunks[0].inside.target", "URI-1"),
                Arguments.of("a misspelt key is refused",
                        trunk(OK_IN, OK_REMOTE, OK_INSIDE, "    tgrpp: x\n"),
                        "trunks[0].tgrpp", "not a known key"),
                Arguments.of("CERT-1 a trust PEM file that does not exist",
                        trunk(OK_IN, "    remote: {hosts: [a.example.com], trust: roots/none.pem}\n", OK_INSIDE, ""),
                        "trunks[0].remote.trust", "no such PEM file"),
                Arguments.of("a routing method that does not exist",
                        "routing: {inbound: [tgrp, ani]}\n" + trunk(OK_IN, OK_REMOTE, OK_INSIDE, ""),
                        "routing.inbound[1]", "ROUTE-1..3"),
                Arguments.of("a default trunk that does not exist",
                        "routing: {default-trunk: nope}\n" + trunk(OK_IN, OK_REMOTE, OK_INSIDE, ""),
                        "routing.default-trunk", "not the id of a trunk"),
                Arguments.of("a duplicate trunk id",
                        trunk(OK_IN, OK_REMOTE, OK_INSIDE, "") + "  - id: t\n    role: cloud\n" + OK_IN + OK_REMOTE
                                + OK_INSIDE,
                        "trunks[1].id", "unique"),
                Arguments.of("ROUTE-1 two trunks with one tgrp and trunk-context",
                        trunk(OK_IN, OK_REMOTE, OK_INSIDE, "    tgrp: g\n    trunk-context: example.com\n")
                                + "  - id: u\n    role: cloud\n    tgrp: g\n    trunk-context: Example.com\n" + OK_IN
                                + OK_REMOTE + OK_INSIDE,
                        "trunks[1].tgrp", "ROUTE-1"),
                Arguments.of("no trunks key", "routing: {}\n", "trunks", "is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refusesWithFileKeyRuleAndId(String id, String trunks, String key, String rule) {
        RoutingFixtures.write(dir, trunks, RoutingFixtures.REGIONS);
        ConfigException e = assertThrows(ConfigException.class, () -> RoutingConfig.load(dir));
        String m = e.getMessage();
        assertTrue(m.contains("trunks.yaml: " + key + " "), "key '" + key + "' in: " + m);
        assertTrue(m.contains(rule), "rule '" + rule + "' in: " + m);
    }

    @Test
    void region1WrongNumberOfProxies() {
        RoutingFixtures.write(dir, trunk(OK_IN, OK_REMOTE, OK_INSIDE, ""),
                "regions:\n  x-1:\n    proxies: [lb01.x.example, lb02.x.example, lb03.x.example]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RoutingConfig.load(dir));
        assertTrue(e.getMessage().contains("regions.yaml: regions.x-1.proxies must list exactly 4"), e.getMessage());
        assertTrue(e.getMessage().contains("REGION-1"), e.getMessage());
    }

    @Test
    void cert6IpAddressAsRegionProxy() {
        RoutingFixtures.write(dir, trunk(OK_IN, OK_REMOTE, OK_INSIDE, ""),
                "regions:\n  x-1:\n    proxies: [lb01.x.example, 192.0.2.1, lb03.x.example, lb04.x.example]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RoutingConfig.load(dir));
        assertTrue(e.getMessage().contains("regions.yaml: regions.x-1.proxies[1]"), e.getMessage());
        assertTrue(e.getMessage().contains("CERT-6"), e.getMessage());
    }

    @Test
    void missingTrunksFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> RoutingConfig.load(dir));
        assertTrue(e.getMessage().contains("trunks.yaml"), e.getMessage());
    }

    @Test
    void yamlSyntaxErrorNamesTheFile() {
        RoutingFixtures.write(dir, "trunks:\n  - id: [unclosed\n", null);
        ConfigException e = assertThrows(ConfigException.class, () -> RoutingConfig.load(dir));
        assertTrue(e.getMessage().contains("trunks.yaml") && e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void duplicateYamlKeyIsRefused() {
        RoutingFixtures.write(dir, trunk(OK_IN, OK_REMOTE, OK_INSIDE, "    role: cloud\n"), null);
        ConfigException e = assertThrows(ConfigException.class, () -> RoutingConfig.load(dir));
        assertTrue(e.getMessage().contains("trunks.yaml"), e.getMessage());
    }

    @Test
    void defaultsAndParsedValues() {
        RoutingConfig config = RoutingFixtures.config(dir);
        assertEquals(RoutingConfig.DEFAULT_INBOUND, config.inboundOrder());
        assertEquals(RoutingConfig.DEFAULT_OUTBOUND, config.outboundOrder());
        assertEquals("acme", config.defaultTrunk().orElseThrow().id());
        Trunk acme = config.trunk("acme").orElseThrow();
        assertEquals(Role.CUSTOMER, acme.role());
        assertEquals(5061, acme.remote().port(), "TLS-3 default port");
        assertEquals(4, acme.remote().hosts().size(), "REGION-1");
        assertEquals("byoc-cloud", acme.remote().trust());
        assertEquals(MediaSecurity.REQUIRED, acme.srtp());
        Trunk gamma = config.trunk("gamma").orElseThrow();
        assertEquals(MediaSecurity.REQUIRED, gamma.srtp(), "SRTP-2 default: required");
        assertEquals("_sips._tcp.gamma.example.org", gamma.remote().srv());
        assertEquals(MediaSecurity.OPTIONAL, config.trunk("beta").orElseThrow().srtp());
    }

    @Test
    void region1SharedProxyNamesWarnNamingBothRegions() {
        RoutingFixtures.write(dir, trunk(OK_IN, OK_REMOTE, OK_INSIDE, ""), """
                regions:
                  us-east-1: {proxies: [lb01.byoc.eu-west-1.mypurecloud.ie, lb02.byoc.eu-west-1.mypurecloud.ie, lb03.byoc.eu-west-1.mypurecloud.ie, lb04.byoc.eu-west-1.mypurecloud.ie]}
                  eu-west-1: {proxies: [lb01.byoc.eu-west-1.mypurecloud.ie, lb02.byoc.eu-west-1.mypurecloud.ie, lb03.byoc.eu-west-1.mypurecloud.ie, lb04.byoc.eu-west-1.mypurecloud.ie]}
                """);
        List<String> warnings = RoutingConfig.load(dir).warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("us-east-1 and eu-west-1") && warnings.get(0).contains("REGION-1"),
                warnings.get(0));
    }

    @Test
    void region1ShippedTableIsExactlyRegionsMd() {
        Path shipped = Path.of(System.getenv().getOrDefault("TRUNKGATE_TEST_ROOT", "."), "config");
        RoutingConfig config = RoutingConfig.load(shipped);
        String[][] table = {
                {"us-east-1", "byoc.eu-west-1.mypurecloud.ie"},
                {"us-east-2", "voice.use2.us-gov-pure.cloud"},
                {"us-west-2", "pc-voice.usw2.pure.cloud"},
                {"ca-central-1", "pc-voice.usw2.pure.cloud"},
                {"eu-west-1", "byoc.eu-west-1.mypurecloud.ie"},
                {"eu-west-2", "pc-voice.usw2.pure.cloud"},
                {"eu-central-1", "byoc.eu-central-1.mypurecloud.de"},
                {"ap-northeast-1", "byoc.ap-northeast-1.mypurecloud.jp"},
                {"ap-northeast-2", "pc-voice.usw2.pure.cloud"},
                {"ap-southeast-2", "byoc.ap-northeast-1.mypurecloud.jp"},
                {"ap-south-1", "byoc.aps1.pure.cloud"}};
        assertEquals(table.length, config.regions().size());
        for (String[] row : table) {
            List<String> expected = List.of("lb01." + row[1], "lb02." + row[1], "lb03." + row[1], "lb04." + row[1]);
            assertEquals(expected, config.regions().get(row[0]).proxies(), row[0]);
        }
        // the starred rows of regions.md: us-east-1/eu-west-1, the usw2 four, the ap-northeast-1 pair
        List<String> w = config.warnings();
        assertTrue(w.stream().anyMatch(s -> s.contains("us-east-1 and eu-west-1")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("us-west-2 and ca-central-1")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("us-west-2 and eu-west-2")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("us-west-2 and ap-northeast-2")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("ap-northeast-1 and ap-southeast-2")), w.toString());
        assertEquals(5, w.size(), w.toString());
        assertEquals("loopback", config.trunks().get(0).id());
    }
}
