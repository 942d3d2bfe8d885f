package io.trunkgate.peers;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's dnsmasq as an authoritative-enough DNS server on 127.0.0.1 and a free port: SRV and A records given on its
 * command line, nothing else (no upstream, no /etc/hosts, no system configuration), queries logged.
 */
public final class Dnsmasq implements AutoCloseable {

    /** One SRV record (RFC 2782). */
    public record Srv(String owner, String target, int port, int priority, int weight) {
    }

    /** One A record. */
    public record A(String name, String address) {
    }

    private final Process process;
    private final int port;
    private final Path log;

    private Dnsmasq(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts dnsmasq serving {@code srv} and {@code a}; returns once it answers on its port. */
    public static Dnsmasq start(List<Srv> srv, List<A> a) throws IOException, InterruptedException {
        String exe = Peers.require("dnsmasq");
        Path dir = Files.createTempDirectory("dnsmasq");
        Path log = dir.resolve("dnsmasq.log");
        int port = freeUdpAndTcpPort();
        List<String> cmd = new ArrayList<>(List.of(exe, "--no-daemon", "--conf-file=/dev/null", "--no-resolv",
                "--no-hosts", "--bind-interfaces", "--listen-address=127.0.0.1", "--port=" + port,
                "--pid-file=" + dir.resolve("dnsmasq.pid"), "--user=root", "--log-queries", "--log-facility=" + log,
                "--local-ttl=0",
                "--local=/test/")); // names under .test answered from these records alone: others NXDOMAIN
        for (Srv s : srv) {
            cmd.add("--srv-host=" + s.owner() + "," + s.target() + "," + s.port() + "," + s.priority() + "," + s.weight());
        }
        for (A r : a) {
            cmd.add("--host-record=" + r.name() + "," + r.address());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(new File(dir.resolve("stdout").toString())).start();
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(end)) {
            if (!p.isAlive()) {
                throw new IOException("dnsmasq exited " + p.exitValue() + ": " + Files.readString(dir.resolve("stdout")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200); // it serves TCP beside UDP
                return new Dnsmasq(p, port, log);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("dnsmasq did not listen on 127.0.0.1:" + port + " within 10 s");
    }

    /** A port free for both UDP and TCP on 127.0.0.1. */
    private static int freeUdpAndTcpPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
                return tcp.getLocalPort();
            } catch (IOException e) {
                // taken for UDP: try another
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}, a value of trunkgate.dns.servers. */
    public String server() {
        return "127.0.0.1:" + port;
    }

    /** Its query log so far. */
    public String log() {
        return Peers.logText(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
