package io.trunkgate.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.peers.Peers;

/**
 * Drives src/test/resources/media/srtp_peer.py: an independent SRTP implementation (libsrtp through
 * Debian's python3-pylibsrtp) on its own UDP socket. Skips (or fails under TRUNKGATE_REQUIRE_PEERS=1)
 * when /usr/bin/python3 or pylibsrtp is missing.
 */
public final class LibsrtpPeer implements AutoCloseable {

    static final String PYTHON = "/usr/bin/python3"; // Debian's: another python3 on PATH may not see pylibsrtp
    static final HexFormat HEX = HexFormat.of();

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    public final int port;

    private LibsrtpPeer(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        String first = line();
        if (!first.startsWith("port ")) {
            throw new IOException("srtp_peer.py did not start: " + first);
        }
        this.port = Integer.parseInt(first.substring(5).trim());
    }

    /** Skips or fails (Peers rule) when libsrtp for Python is not installed. */
    public static void require() {
        Peers.require(PYTHON);
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import pylibsrtp").redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                Peers.unavailable("python3-pylibsrtp is not installed (apt-get install -y python3-pylibsrtp)");
            }
        } catch (IOException e) {
            Peers.unavailable(PYTHON + " cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the peer; its port goes into the SDP before the keys are known ({@link #begin}). */
    public static LibsrtpPeer startPending() throws IOException {
        require();
        Path script;
        try {
            script = Path.of(LibsrtpPeer.class.getResource("/media/srtp_peer.py").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Process p = new ProcessBuilder(PYTHON, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new LibsrtpPeer(p);
    }

    /** @param txKey the peer's sending key (its a=crypto), @param rxKey ours (from our SDP answer) */
    public void begin(MasterKey txKey, MasterKey rxKey) throws IOException {
        String reply = command("keys " + txKey.suite().sdpName() + " " + txKey.inline() + " " + rxKey.suite().sdpName()
                + " " + rxKey.inline());
        if (!reply.equals("ok")) {
            throw new IOException("srtp_peer.py: " + reply);
        }
    }

    /** Protects with libsrtp and sends to our port; returns the SRTP bytes it sent. */
    public byte[] send(byte[] packet, int toPort) throws IOException {
        return sent(command("send " + HEX.formatHex(packet) + " " + toPort));
    }

    /** Protects with libsrtp without sending. */
    public byte[] protect(byte[] packet) throws IOException {
        return sent(command("protect " + HEX.formatHex(packet)));
    }

    /** Sends bytes unchanged (replays, tampered packets). */
    public void raw(byte[] datagram, int toPort) throws IOException {
        sent(command("raw " + HEX.formatHex(datagram) + " " + toPort));
    }

    /** One datagram unprotected by libsrtp, or null on timeout; fails when libsrtp rejects it. */
    public byte[] receive(int millis) throws IOException {
        String reply = command("recv " + millis);
        if (reply.equals("timeout")) {
            return null;
        }
        if (!reply.startsWith("pkt ")) {
            throw new IOException("libsrtp refused our packet: " + reply);
        }
        return HEX.parseHex(reply.split(" ")[1]);
    }

    private static byte[] sent(String reply) throws IOException {
        if (!reply.startsWith("sent ")) {
            throw new IOException("srtp_peer.py: " + reply);
        }
        return HEX.parseHex(reply.substring(5).trim());
    }

    private String command(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        return line();
    }

    private String line() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("srtp_peer.py exited");
        }
        return line.trim();
    }

    @Override
    public void close() throws IOException {
        try {
            in.write("quit\n");
            in.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
