package io.trunkgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code route}: one JSON object on stdout; exit 0 routed, 1 refused, 2 bad arguments or config. */
class RouteCommandTest {

    private static final Path SHIPPED = Path.of(System.getenv().getOrDefault("TRUNKGATE_TEST_ROOT", "."), "config");

    private String out;
    private String err;

    private int route(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("route"));
        all.addAll(List.of(args));
        int code = TrunkgateCli.execute(all, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8).trim();
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void route1InboundTgrpOnTheShippedConfig() {
        int code = route("--config", SHIPPED.toString(), "--source", "127.0.0.1",
                "sip:+13175550100;tgrp=loopback-tg1;trunk-context=example.com@localhost:5061;transport=tls");
        assertEquals(0, code, err);
        assertEquals("{\"direction\": \"inbound\", \"trunk\": \"loopback\", \"method\": \"tgrp\", \"target\":"
                + " \"sip:127.0.0.1:5070;transport=udp\", \"requestUri\":"
                + " \"sip:+13175550100;tgrp=loopback-tg1;trunk-context=example.com@127.0.0.1:5070;transport=udp\"}", out);
        assertTrue(err.contains("REGION-1"), "the shipped regions table warns about its copy errors: " + err);
    }

    @Test
    void route2DnisAndRoute3FqdnWithoutSource() {
        assertEquals(0, route("--config", SHIPPED.toString(), "sip:+1-317-555-0123@localhost"));
        assertTrue(out.contains("\"method\": \"dnis\""), out);
        assertEquals(0, route("--config", SHIPPED.toString(), "sip:reception@localhost"));
        assertTrue(out.contains("\"method\": \"fqdn\""), out);
    }

    @Test
    void tls7ForbiddenSourceExits1() {
        assertEquals(1, route("--config", SHIPPED.toString(), "--source", "192.0.2.1",
                "sip:+13175550100;tgrp=loopback-tg1;trunk-context=example.com@localhost"));
        assertTrue(out.startsWith("{\"direction\": \"inbound\", \"status\": 403, \"reason\": \""), out);
        assertTrue(out.contains("TLS-7"), out);
    }

    @Test
    void route1To3NotFoundExits1() {
        assertEquals(1, route("--config", SHIPPED.toString(), "--source", "127.0.0.1", "sip:+4420@example.org"));
        assertTrue(out.contains("\"status\": 404"), out);
        assertTrue(out.contains("ROUTE-1..3"), out);
    }

    @Test
    void route5Outbound() {
        assertEquals(0, route("--config", SHIPPED.toString(), "--outbound", "sip:+13175550100@127.0.0.1"));
        assertTrue(out.startsWith("{\"direction\": \"outbound\", \"trunk\": \"loopback\", \"method\": \"number\""), out);
        assertTrue(out.contains("\"requestUri\": \"sip:+13175550100;tgrp=loopback-tg1;trunk-context=example.com"
                + "@localhost:5061;transport=tls\""), out);
        assertTrue(out.contains("\"hosts\": [\"localhost:5061\"]"), out);
    }

    @Test
    void uri2WarningGoesToStderrNotStdout() {
        assertEquals(0, route("--config", SHIPPED.toString(), "sip:+13175550123@localhost;tgrp=x;trunk-context=y"));
        assertTrue(err.contains("URI-2"), err);
        assertTrue(out.startsWith("{") && out.endsWith("}") && !out.contains("\n"), out);
    }

    @Test
    void badArgumentsExit2() {
        assertEquals(2, route("--config", SHIPPED.toString()));
        assertEquals(2, route("--config", SHIPPED.toString(), "--source", "999.1.1.1", "sip:+1@localhost"));
        assertEquals(2, route("--config", SHIPPED.toString(), "--source", "sbc.example.com", "sip:+1@localhost"));
        assertEquals(2, route("--config", SHIPPED.toString(), "--frobnicate", "sip:+1@localhost"));
        assertEquals(2, route("--config", SHIPPED.toString(), "not a uri"));
        assertEquals(2, route("--config"));
    }

    @Test
    void cert6BadConfigExits2NamingFileKeyRule(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("trunks.yaml"), """
                trunks:
                  - id: t
                    role: customer
                    inbound: {sources: [127.0.0.1]}
                    remote: {hosts: [127.0.0.1]}
                    inside: {target: "sip:127.0.0.1:5060"}
                """);
        assertEquals(2, route("--config", dir.toString(), "sip:+1@localhost"));
        assertTrue(err.contains("trunks.yaml: trunks[0].remote.hosts[0]") && err.contains("CERT-6"), err);
        assertEquals("", out);
    }
}
