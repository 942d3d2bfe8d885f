package io.trunkgate.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.SipConnection;
import org.apache.camel.spi.ExecutorServiceManager;

/**
 * SIP traces to a Homer-side receiver over HEP v3 (UDP to {@code trunkgate.hep.address}): every message received and
 * sent, on both sides, the TLS side in clear text (the gateway that terminates TLS is the only place its SIP can be
 * seen). The call flow only queues a reference to the message's bytes; encoding and sending happen on the thread
 * {@code trunkgate-hep}. A full queue drops traces and counts them: a trace never slows a call.
 */
final class HepSender {

    private final InetSocketAddress receiver;
    private final HepEncoder encoder;
    private final Handoff<HepEncoder.Trace> handoff;
    private DatagramChannel socket;

    HepSender(InetSocketAddress receiver, int agentId, String password, int queue) {
        this.receiver = receiver;
        this.encoder = new HepEncoder(agentId, password);
        this.handoff = new Handoff<>("trunkgate-hep", queue, this::send, false);
    }

    /** From trunkgate.hep.*; null when trunkgate.hep.address is not set (HEP off). */
    static HepSender from(Settings settings) {
        return settings.find("trunkgate.hep.address").map(a -> new HepSender(address(a), settings.getInt("trunkgate.hep.agent-id", 0),
                settings.find("trunkgate.hep.password").orElse(null), settings.getInt("trunkgate.hep.queue", 1))).orElse(null);
    }

    private static InetSocketAddress address(String value) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(value.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException e) {
            throw new ConfigException("trunkgate.hep.address", "must be host:port (UDP), not '" + value + "'");
        }
    }

    /** A message received on ({@code received}) or sent on {@code connection}, now. */
    void trace(SipConnection connection, byte[] message, boolean received) {
        java.time.Instant now = java.time.Instant.now(); // microseconds on Linux (JDK 15+)
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        InetSocketAddress remote = connection.remoteAddress();
        InetSocketAddress local = connection.localAddress();
        boolean stream = !"udp".equals(connection.transport());
        handoff.offer(received ? new HepEncoder.Trace(message, remote, local, stream, micros)
                : new HepEncoder.Trace(message, local, remote, stream, micros));
    }

    private void send(HepEncoder.Trace trace) {
        byte[] packet = encoder.encode(trace);
        if (packet == null) {
            throw new IllegalArgumentException("a message of " + trace.message().length + " bytes does not fit HEP v3");
        }
        try {
            socket.write(ByteBuffer.wrap(packet));
        } catch (IOException e) {
            throw new UncheckedIOException("HEP to " + receiver + ": " + e.getMessage(), e);
        }
    }

    void start(ExecutorServiceManager threads) throws IOException {
        socket = DatagramChannel.open();
        socket.connect(receiver); // a connected socket: no address to convert and check per packet
        handoff.start(threads, this);
    }

    void stop(ExecutorServiceManager threads) throws IOException {
        handoff.stop(threads);
        if (socket != null) {
            socket.close();
        }
    }

    InetSocketAddress receiver() {
        return receiver;
    }

    Handoff<HepEncoder.Trace> handoff() {
        return handoff;
    }
}
