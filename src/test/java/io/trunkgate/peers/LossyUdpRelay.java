package io.trunkgate.peers;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lossy UDP link on loopback: datagrams between a "near" peer and a fixed "far" address, each dropped with a
 * given probability (seeded, so a run can be repeated). The near peer is whoever last sent to the relay's port.
 * Used instead of SIPp's -lost, whose simulated loss also makes SIPp itself abort calls on retransmitted requests.
 */
public final class LossyUdpRelay implements AutoCloseable {

    private final DatagramSocket nearSide;
    private final DatagramSocket farSide;
    private final InetSocketAddress far;
    private final double lossToFar;
    private final double lossToNear;
    private final Random random;
    private volatile InetSocketAddress near;
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    /** The same loss both ways. */
    public LossyUdpRelay(int farPort, double loss, long seed) throws SocketException {
        this(farPort, loss, loss, seed);
    }

    public LossyUdpRelay(int farPort, double lossToFar, double lossToNear, long seed) throws SocketException {
        this.nearSide = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.farSide = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.far = new InetSocketAddress(InetAddress.getLoopbackAddress(), farPort);
        this.lossToFar = lossToFar;
        this.lossToNear = lossToNear;
        this.random = new Random(seed);
        start("near->far", nearSide, true);
        start("far->near", farSide, false);
    }

    private void start(String name, DatagramSocket in, boolean fromNear) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65535];
            while (!in.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    in.receive(p);
                    if (fromNear) {
                        near = (InetSocketAddress) p.getSocketAddress();
                    }
                    InetSocketAddress to = fromNear ? far : near;
                    boolean drop;
                    synchronized (random) {
                        drop = random.nextDouble() < (fromNear ? lossToFar : lossToNear);
                    }
                    if (drop || to == null) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    passed.incrementAndGet();
                    (fromNear ? farSide : nearSide).send(new DatagramPacket(p.getData(), p.getLength(), to));
                } catch (IOException e) {
                    return;
                }
            }
        }, "lossy-udp-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** The port the near peer sends to. */
    public int port() {
        return nearSide.getLocalPort();
    }

    public int dropped() {
        return dropped.get();
    }

    public int passed() {
        return passed.get();
    }

    @Override
    public void close() {
        nearSide.close();
        farSide.close();
    }
}
