package io.trunkgate.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP relay in front of a peer that does not answer RFC 5626 keep-alives (SIPp): bytes pass both ways,
 * except a double-CRLF ping arriving alone, which the relay answers with a CRLF pong itself, as a SIP stack that
 * implements RFC 5626 would. Behind a stunnel server it plays a remote whose TLS connection answers pings.
 */
public final class PongingTcpRelay implements AutoCloseable {

    private static final byte[] PING = {'\r', '\n', '\r', '\n'};
    private static final byte[] PONG = {'\r', '\n'};

    private final ServerSocket server;
    private final int peerPort;
    private final AtomicInteger pongs = new AtomicInteger();

    public PongingTcpRelay(int peerPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.peerPort = peerPort;
        Thread accept = new Thread(this::accept, "ponging-relay");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Pongs sent so far. */
    public int pongs() {
        return pongs.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket near = server.accept();
                Socket far = new Socket();
                far.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), peerPort), 2000);
                pump(near, far, true);
                pump(far, near, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean answerPings) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (answerPings && n == PING.length && Arrays.equals(Arrays.copyOf(buf, n), PING)) {
                        synchronized (from) {
                            from.getOutputStream().write(PONG);
                            from.getOutputStream().flush();
                        }
                        pongs.incrementAndGet();
                        continue;
                    }
                    synchronized (to) { // the pongs to the same socket are written under its lock too
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }, "ponging-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
