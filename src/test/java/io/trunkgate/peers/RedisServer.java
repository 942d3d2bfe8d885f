package io.trunkgate.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server on a loopback port of the test's, without persistence, with a password (as production should
 * have: docs/high-availability.md). Skipped when missing, failed under TRUNKGATE_REQUIRE_PEERS=1 ({@link Peers}).
 * It can be stopped and started again on the same port (Redis down during a run); it comes back empty. Commands for
 * assertions go through redis-cli.
 */
public final class RedisServer implements AutoCloseable {

    public static final String PASSWORD = "trunkgate-test-secret";

    private final String server;
    private final int port;
    private final Path dir;
    private final List<String> extra;
    private Process process;

    private RedisServer(String server, int port, List<String> extra) throws IOException {
        this.server = server;
        this.port = port;
        this.extra = extra;
        this.dir = Files.createTempDirectory("trunkgate-redis");
    }

    /** Starts redis-server on {@code port} (127.0.0.1) and waits until it answers (10 s at most). */
    public static RedisServer start(int port) throws IOException, InterruptedException {
        return start(port, List.of());
    }

    /**
     * With TLS as well: {@code tlsPort} serves TLS with {@code chain} (PEM, leaf first) and {@code key}; clients are not
     * asked for a certificate. The plain {@code port} stays open for the tests' own commands.
     */
    public static RedisServer startTls(int port, int tlsPort, Path chain, Path key, Path ca) throws IOException,
            InterruptedException {
        return start(port, List.of("--tls-port", String.valueOf(tlsPort), "--tls-cert-file", chain.toString(),
                "--tls-key-file", key.toString(), "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "no"));
    }

    private static RedisServer start(int port, List<String> extra) throws IOException, InterruptedException {
        String server = Peers.require("redis-server");
        Peers.require("redis-cli");
        RedisServer redis = new RedisServer(server, port, extra);
        redis.start();
        return redis;
    }

    /** Starts it again after {@link #stop()}: same port and password, no data. */
    public void start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(server, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--requirepass", PASSWORD, "--dir", dir.toString(), "--protected-mode", "yes"));
        cmd.addAll(extra);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Instant end = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(end)) {
            if ("PONG".equals(ping())) {
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IOException("redis-server did not answer on port " + port + ": " + Files.readString(dir.resolve("redis.log")));
    }

    /** Kills it (SIGKILL: Redis gone at once, as a crashed or unreachable server) and waits for the process to end. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public int port() {
        return port;
    }

    /** The URI trunkgate.ha.redis-uri takes, with the password. */
    public String uri() {
        return "redis://:" + PASSWORD + "@127.0.0.1:" + port;
    }

    /** One command through redis-cli (raw output, one line per reply element); the reply's lines. */
    public List<String> cli(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port), "--no-auth-warning",
                "-a", PASSWORD, "--raw"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("redis-cli " + List.of(command) + " did not end");
        }
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isEmpty()) {
                lines.add(l);
            }
        }
        return lines;
    }

    /** The keys matching {@code pattern}. */
    public List<String> keys(String pattern) throws IOException, InterruptedException {
        return cli("--scan", "--pattern", pattern);
    }

    /** PING over a plain socket (RESP), or null when nothing answers. */
    private String ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            byte[] auth = ("AUTH " + PASSWORD + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII);
            out.write(auth);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n = 0;
            Instant end = Instant.now().plus(Duration.ofSeconds(1));
            while (Instant.now().isBefore(end) && n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
                String got = new String(buf, 0, n, StandardCharsets.US_ASCII);
                if (got.contains("+PONG")) {
                    return "PONG";
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
