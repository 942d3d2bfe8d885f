package io.trunkgate.peers;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * stunnel4 carrying a TCP peer (SIPp) over TLS, since Debian's SIPp has no TLS (platform facts). Client mode:
 * {@code accept} plain TCP on loopback, connect with TLS 1.2 and the spec profile, verify chain and host name.
 */
public final class Stunnel implements AutoCloseable {

    private final Process process;
    private final int acceptPort;
    private final Path log;

    private Stunnel(Process process, int acceptPort, Path log) {
        this.process = process;
        this.acceptPort = acceptPort;
        this.log = log;
    }

    /** A TLS client tunnel: plain TCP on {@code acceptPort} -> TLS to 127.0.0.1:{@code tlsPort}, verified against {@code caFile}. */
    public static Stunnel client(int acceptPort, int tlsPort, Path caFile, String checkHost) throws IOException, InterruptedException {
        return start(acceptPort, String.join("\n",
                "client = yes",
                "accept = 127.0.0.1:" + acceptPort,
                "connect = 127.0.0.1:" + tlsPort,
                "CAfile = " + caFile.toAbsolutePath(),
                "verifyChain = yes",
                "checkHost = " + checkHost));
    }

    /**
     * A TLS server tunnel playing a remote trunk: TLS (the spec profile) on {@code tlsPort}, presenting
     * {@code chain} (leaf + intermediate) -> plain TCP to 127.0.0.1:{@code plainPort}.
     */
    public static Stunnel server(int tlsPort, int plainPort, Path chain, Path key) throws IOException, InterruptedException {
        return server("127.0.0.1", tlsPort, plainPort, chain, key);
    }

    /** A TLS server tunnel on {@code acceptHost} (another loopback address plays another remote host). */
    public static Stunnel server(String acceptHost, int tlsPort, int plainPort, Path chain, Path key)
            throws IOException, InterruptedException {
        return start(acceptHost, tlsPort, String.join("\n",
                "accept = " + acceptHost + ":" + tlsPort,
                "connect = 127.0.0.1:" + plainPort,
                "cert = " + chain.toAbsolutePath(),
                "key = " + key.toAbsolutePath()));
    }

    private static Stunnel start(int acceptPort, String service) throws IOException, InterruptedException {
        return start("127.0.0.1", acceptPort, service);
    }

    private static Stunnel start(String acceptHost, int acceptPort, String service) throws IOException, InterruptedException {
        String exe = Peers.require("stunnel4");
        Path dir = Files.createTempDirectory("stunnel");
        Path conf = dir.resolve("stunnel.conf");
        Path log = dir.resolve("stunnel.log");
        Files.writeString(conf, String.join("\n",
                "foreground = yes",
                "pid =",
                "output = " + log,
                "debug = 4",
                "[sip-tls]",
                service,
                "sslVersion = TLSv1.2",
                "ciphers = ECDHE-RSA-AES256-GCM-SHA384",
                "curves = secp384r1",
                ""));
        Process p = new ProcessBuilder(exe, conf.toString()).redirectErrorStream(true)
                .redirectOutput(new File(dir.resolve("stdout").toString())).start();
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(end)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(acceptHost, acceptPort), 200);
                return new Stunnel(p, acceptPort, log);
            } catch (IOException e) {
                if (!p.isAlive()) {
                    throw new IOException("stunnel4 exited: " + Files.readString(dir.resolve("stdout")));
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("stunnel4 did not listen on " + acceptPort + " within 10 s");
    }

    public int acceptPort() {
        return acceptPort;
    }

    /** SIGSTOP: the tunnel stops reading and writing, its sockets stay open (a wedged remote). */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public String log() {
        return Peers.logText(log);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            resume(); // a stopped process does not act on SIGTERM
        } catch (IOException e) {
            // gone already
        }
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
