package io.trunkgate.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trunkgate.TrunkgateConfiguration;
import io.trunkgate.cert.Pem;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.tls.DevPki;
import io.trunkgate.tls.TrunkTls;
import io.trunkgate.transport.TrunkConnections;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that embeds trunkgate's shipped routes (issue #13): camel-main started with the application's own
 * configuration class (listed before TrunkgateConfiguration), its own routes folder (the shipped routes, its copy of
 * call-flow.yaml with its own step after trunkRoute, and its own YAML beans) and its own properties. Each of its
 * replacements must take effect on real calls (SIPp over stunnel TLS), inbound and outbound:
 * (a) its step after trunkRoute sees every new call; (b) its trunkRoute, not trunks.yaml, decides where calls go
 * (trunks.yaml points at ports nobody listens on); (c) its trunkTls is the one the listener presents (the remote
 * trusts only the application's root) and the one the client role checks the remote with (the remote's certificate
 * is signed by the application's root only): TLS-7 both ways.
 */
class EmbeddedApplicationTest {

    private static final int CALLS = 5;

    @TempDir
    Path dir;
    private Main main;
    private DevPki shopPki;
    private int pbxPort;
    private int remotePort;

    @BeforeEach
    void start() throws Exception {
        ShopAudit.SEEN.clear();
        shopPki = DevPki.generate(dir.resolve("shop-pki"), List.of("localhost"));
        pbxPort = RunningGateway.freePort();
        remotePort = RunningGateway.freePort();
        int decoy = RunningGateway.freePort(); // nobody listens: trunks.yaml's answer must not be used
        Path config = TrunkConfigDir.create("localhost", decoy, "sip:127.0.0.1:" + decoy + ";transport=udp", "off");

        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.copy(Path.of("routes/listeners.yaml"), routes.resolve("listeners.yaml"));
        Files.writeString(routes.resolve("call-flow.yaml"), withStepAfterTrunkRoute(
                Files.readString(Path.of("routes/call-flow.yaml")), "shopAudit"));
        Files.writeString(routes.resolve("shop.yaml"), String.join("\n",
                "- beans:",
                "    - name: shopAudit",
                "      type: " + ShopAudit.class.getName(),
                ""));

        main = new Main();
        main.setInitialProperties(Settings.defaults());
        Properties props = new Properties();
        props.setProperty("camel.main.name", "shop");
        props.setProperty("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
        props.setProperty("trunkgate.trunk.host", "127.0.0.1");
        props.setProperty("trunkgate.trunk.port", String.valueOf(RunningGateway.freePort()));
        props.setProperty("trunkgate.inside.port", String.valueOf(RunningGateway.freePort()));
        props.setProperty("trunkgate.tls.dev-pki-dir", dir.resolve("trunkgate-dev-pki").toString());
        props.setProperty("trunkgate.config.dir", config.toString());
        props.setProperty("trunkgate.media.port-range", "43600-43699");
        props.setProperty("trunkgate.management.port", String.valueOf(RunningGateway.freePort()));
        props.setProperty("shop.pbx-port", String.valueOf(pbxPort));
        props.setProperty("shop.remote-port", String.valueOf(remotePort));
        props.setProperty("shop.pki", shopPki.dir().toString());
        main.setOverrideProperties(props);
        main.setDefaultPropertyPlaceholderLocation("false");
        main.configure().addConfiguration(new ShopConfiguration()); // first: trunkgate's defaults fill free names only
        main.configure().addConfiguration(new TrunkgateConfiguration());
        main.start();
        assertTrue(main.getCamelContext().isStarted(), "the application started");
    }

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
    }

    /** The application's copy of call-flow.yaml: its own step right after trunkRoute, at the same indentation. */
    static String withStepAfterTrunkRoute(String callFlow, String step) {
        Matcher m = Pattern.compile("(?m)^( *)- process:\\n +ref: trunkRoute.*\\n").matcher(callFlow);
        assertTrue(m.find(), "the shipped call flow has a trunkRoute step");
        String indent = m.group(1);
        return callFlow.substring(0, m.end()) + indent + "- process:\n" + indent + "    ref: " + step + "\n"
                + callFlow.substring(m.end());
    }

    private int port(String key) {
        return Integer.parseInt(main.getCamelContext().getPropertiesComponent().resolveProperty(key).orElseThrow());
    }

    @Test
    void theApplicationsBeansServeEveryUserOfTheirNames() throws Exception {
        var registry = main.getCamelContext().getRegistry();
        TrunkTls tls = TrunkgateBeans.lookup(main.getCamelContext(), TrunkgateBeans.TRUNK_TLS, TrunkTls.class);
        assertEquals(Pem.readCertificates(shopPki.serverChain()).get(0), tls.chain().get(0), "the shop PKI's leaf");
        assertInstanceOf(ShopTrunkRoute.class, registry.lookupByName(TrunkgateBeans.TRUNK_ROUTE));
        assertInstanceOf(ShopAudit.class, registry.lookupByName("shopAudit"));
        assertInstanceOf(TrunkConnections.class, registry.lookupByName(TrunkgateBeans.TRUNK_CONNECTIONS));
        assertSame(tls, registry.lookupByName(TrunkgateBeans.TRUNK_TLS));
    }

    @Test
    void inboundCallsUseTheApplicationsTlsRouteAndStep() throws Exception {
        try (Stunnel remote = Stunnel.client(RunningGateway.freePort(), port("trunkgate.trunk.port"),
                shopPki.root(), "localhost")) { // (c) the remote trusts the application's root only
            Sipp.Running pbx = Sipp.start("uas.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                    String.valueOf(pbxPort), "-m", String.valueOf(CALLS))); // (b) the application's PBX
            try {
                Thread.sleep(300);
                Sipp.Result caller = Sipp.run("uac.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-s", "+13175550100",
                        "-m", String.valueOf(CALLS), "-r", "10", "-timeout", "60s", "-timeout_error",
                        "-default_behaviors", "all,-abortunexp", "127.0.0.1:" + remote.acceptPort()), 90);
                caller.assertCalls("remote caller over TLS", CALLS);
                pbx.await(30).assertCalls("the application's PBX", CALLS);
            } finally {
                pbx.stop();
            }
        }
        assertAudited(Side.TRUNK, "udp:127.0.0.1:" + pbxPort);
    }

    @Test
    void outboundCallsUseTheApplicationsTlsRouteAndStep() throws Exception {
        int uasPort = RunningGateway.freePort();
        // (c) the remote's certificate is signed by the application's root, which trunkgate's own trust lacks
        try (Stunnel remote = Stunnel.server(remotePort, uasPort, shopPki.peerChain(), shopPki.peerKey())) {
            Sipp.Running uas = Sipp.start("uas.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-p",
                    String.valueOf(uasPort), "-m", String.valueOf(CALLS)));
            try {
                Thread.sleep(300);
                Sipp.Result caller = Sipp.run("uac.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                        String.valueOf(RunningGateway.freePort()), "-s", "+13175550100", "-m", String.valueOf(CALLS),
                        "-r", "10", "-timeout", "60s", "-timeout_error", "-default_behaviors", "all,-abortunexp",
                        "127.0.0.1:" + port("trunkgate.inside.port")), 90);
                caller.assertCalls("PBX caller", CALLS);
                uas.await(30).assertCalls("the application's remote over TLS", CALLS); // (b) its remote
            } finally {
                uas.stop();
            }
        }
        assertAudited(Side.INSIDE, "tls:localhost:" + remotePort);
    }

    /** (a) the application's step after trunkRoute saw every call, with its own route's decision. */
    private static void assertAudited(Side side, String nextHop) {
        List<ShopAudit.Entry> seen = new ArrayList<>(ShopAudit.SEEN);
        assertEquals(CALLS, seen.size(), seen.toString());
        for (ShopAudit.Entry e : seen) {
            assertEquals(side, e.side());
            assertEquals("test", e.trunk());
            assertEquals(nextHop, e.nextHop());
        }
    }
}
