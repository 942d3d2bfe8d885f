package io.trunkgate.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.trunkgate.TrunkgateConfiguration;
import io.trunkgate.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/**
 * trunkgate in this JVM, as {@code run} starts it (camel-main, ./routes/*.yaml, the shipped defaults), on free
 * loopback ports with its own dev PKI folder, and with its log lines captured for assertions.
 */
public final class RunningGateway implements AutoCloseable {

    private final Main main;
    private final Path pkiDir;
    private final int trunkPort;
    private final int insidePort;
    private final int managementPort;
    private final List<String> logLines = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender;

    private RunningGateway(Map<String, String> overrides, Map<String, Object> beans) throws Exception {
        pkiDir = Files.createTempDirectory("trunkgate-pki");
        trunkPort = Integer.parseInt(overrides.getOrDefault("trunkgate.trunk.port", String.valueOf(freePort())));
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                synchronized (logLines) {
                    logLines.add(e.getLevel() + " " + e.getFormattedMessage());
                }
            }
        };
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);

        main = new Main();
        main.setInitialProperties(Settings.defaults());
        Properties props = new Properties();
        props.setProperty("camel.main.routes-include-pattern", "file:routes/*.yaml");
        props.setProperty("camel.main.name", "trunkgate-test-" + trunkPort);
        props.setProperty("trunkgate.trunk.host", "127.0.0.1");
        props.setProperty("trunkgate.trunk.port", String.valueOf(trunkPort));
        insidePort = Integer.parseInt(overrides.getOrDefault("trunkgate.inside.port", String.valueOf(freePort())));
        props.setProperty("trunkgate.inside.port", String.valueOf(insidePort));
        // the management port (9876 by default) on a free port: gateways of other tests and engineers run at once
        managementPort = Integer.parseInt(overrides.getOrDefault("trunkgate.management.port", String.valueOf(freePort())));
        props.setProperty("trunkgate.management.port", String.valueOf(managementPort));
        props.setProperty("trunkgate.tls.dev-pki-dir", pkiDir.toString());
        // SIPp, the remote of most tests, does not answer OPTIONS: probing is on only where a test turns it on
        props.setProperty("trunkgate.probe.interval", "off");
        // a warm-up costs each start about a second; the packaged gateway (the ITs, the bench) keeps it on
        props.setProperty("trunkgate.warmup.calls", "0");
        // shedding by queueing delay answers to the machine's load, which a test on a shared machine does not
        // control: the tests of shedding turn it on
        props.setProperty("trunkgate.overload.max-queue-delay", "off");
        props.putAll(overrides);
        main.setOverrideProperties(props);
        main.setDefaultPropertyPlaceholderLocation("false");
        beans.forEach(main::bind); // an embedding application's own beans, bound before trunkgate's defaults
        main.configure().addConfiguration(new TrunkgateConfiguration());
        main.start();
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            throw new IllegalStateException("trunkgate did not start: " + lastLines());
        }
    }

    public static RunningGateway start() throws Exception {
        return new RunningGateway(Map.of(), Map.of());
    }

    public static RunningGateway start(Map<String, String> overrides) throws Exception {
        return new RunningGateway(overrides, Map.of());
    }

    /** With beans of the test's own bound under their names first (trunkgate's defaults fill only free names). */
    public static RunningGateway start(Map<String, String> overrides, Map<String, Object> beans) throws Exception {
        return new RunningGateway(overrides, beans);
    }

    public int trunkPort() {
        return trunkPort;
    }

    /** The inside (PBX side) port, UDP and TCP. */
    public int insidePort() {
        return insidePort;
    }

    /** The management HTTP port (health, metrics, dev consoles). */
    public int managementPort() {
        return managementPort;
    }

    /** GET on the management port: the status and the body. */
    public Http.Response get(String path) throws IOException, InterruptedException {
        return Http.get("http://127.0.0.1:" + managementPort + path);
    }

    /** The dev PKI folder (root.pem is the trust anchor of our certificate). */
    public Path pki() {
        return pkiDir;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public List<String> logLines() {
        synchronized (logLines) {
            return List.copyOf(logLines);
        }
    }

    /** Waits up to {@code timeout} for a log line containing every fragment. */
    public String awaitLog(Duration timeout, String... fragments) throws InterruptedException {
        return awaitLine(this::logLines, timeout, fragments);
    }

    /**
     * The first of {@code lines} (asked again until {@code timeout}) that holds every fragment; fails with the
     * last lines.
     */
    static String awaitLine(java.util.function.Supplier<List<String>> lines, Duration timeout, String... fragments)
            throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        do {
            for (String line : lines.get()) {
                boolean all = true;
                for (String f : fragments) {
                    all &= line.contains(f);
                }
                if (all) {
                    return line;
                }
            }
            Thread.sleep(20);
        } while (Instant.now().isBefore(end));
        List<String> all = lines.get();
        throw new AssertionError("no log line with " + List.of(fragments) + " within " + timeout + "; last lines:\n"
                + String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size())));
    }

    private String lastLines() {
        List<String> lines = logLines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    /** Ports handed out by freePort in this JVM: never twice (a gateway and the PBX on one port made a SIP loop). */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The first of {@code size} consecutive ports (a multiple of {@code size}, a power of two) that are all free for UDP
     * now: a media port range for a test. A range derived from one free port alone may hold a port another socket of
     * the run has taken (the ephemeral range is shared).
     */
    public static int freeUdpRange(int size) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int low = freePort() & -size;
            java.util.List<java.net.DatagramSocket> held = new java.util.ArrayList<>();
            try {
                for (int port = low; port < low + size; port++) {
                    held.add(new java.net.DatagramSocket(port));
                }
                return low;
            } catch (java.net.SocketException e) {
                // one of them taken: another range
            } finally {
                held.forEach(java.net.DatagramSocket::close);
            }
        }
        throw new IOException("no " + size + " consecutive free UDP ports found in 100 attempts");
    }

    /**
     * A loopback port free for both TCP and UDP that this JVM has not handed out before, outside 40000-44999
     * (the media port ranges of the tests and the default range).
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if ((port >= 40000 && port <= 44999) || !HANDED_OUT.add(port)) {
                continue;
            }
            try (java.net.DatagramSocket udp = new java.net.DatagramSocket(port)) {
                return port;
            } catch (java.net.SocketException e) {
                // taken for UDP: try another
            }
        }
        throw new IOException("no free port found for TCP and UDP in 100 attempts");
    }

    @Override
    public void close() throws Exception {
        try {
            main.stop();
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        }
    }
}
