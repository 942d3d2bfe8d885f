package io.trunkgate.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.SipConnection;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue #14 item 4: sending traces never blocks or slows a call. A burst larger than the queue returns at once, the
 * traces over the bound are dropped and counted, the others reach a real UDP receiver as HEP v3 packets; a receiver
 * that is gone costs nothing and breaks nothing. Over TCP ({@code trunkgate.hep.transport=tcp}) the packets follow
 * each other on one stream to a real TCP receiver, and a receiver that is down, or drops the connection, is
 * reconnected to while the traces queue, then drop and are counted.
 */
class HepSenderTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** A UDP peer on loopback, as the listeners' connections describe it. */
    private static SipConnection udpPeer(int port) {
        return new SipConnection() {
            public String transport() {
                return "udp";
            }

            public InetSocketAddress remoteAddress() {
                return new InetSocketAddress(LOOPBACK, port);
            }

            public InetSocketAddress localAddress() {
                return new InetSocketAddress(LOOPBACK, 5060);
            }

            public void send(byte[] message) {
            }

            public boolean isOpen() {
                return true;
            }
        };
    }

    private static byte[] options(int n) {
        return ("OPTIONS sip:gw@127.0.0.1 SIP/2.0\r\nCall-ID: burst-" + n + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    @DisplayName("a burst over the queue's bound: offers return at once, the excess is dropped and counted, the rest arrive")
    void burstOverTheQueueDropsAndCounts() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DefaultCamelContext context = new DefaultCamelContext()) {
            receiver.setReceiveBufferSize(1 << 20);
            receiver.setSoTimeout(2000);
            HepSender hep = new HepSender(new InetSocketAddress(LOOPBACK, receiver.getLocalPort()), false, 9, null, 100);
            hep.start(context.getExecutorServiceManager());
            try {
                int burst = 5_000;
                for (int i = 0; i < burst; i++) {
                    hep.trace(udpPeer(40000), options(i), i % 2 == 0);
                }
                Handoff<HepEncoder.Trace> queue = hep.handoff();
                // 5,000 offers take well under the 2 ms between the loop's passes: most find the queue of 100 full
                assertTrue(queue.dropped() > 0, "nothing dropped of " + burst);
                Set<String> got = new HashSet<>();
                byte[] buf = new byte[2048];
                try {
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        receiver.receive(p);
                        assertEquals("HEP3", new String(buf, 0, 4, StandardCharsets.US_ASCII));
                        String text = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
                        got.add(text.substring(text.indexOf("burst-"), text.indexOf("\r\nCSeq")));
                    }
                } catch (SocketTimeoutException done) {
                    // the last trace came 2 s ago
                }
                assertEquals(burst, queue.dropped() + queue.handled(), "every trace sent or counted as dropped");
                assertEquals(queue.handled(), got.size(), "every trace sent arrived (loopback, a 1 MB buffer)");
                assertEquals(0, queue.failed());
            } finally {
                hep.stop(context.getExecutorServiceManager());
            }
        }
    }

    @Test
    @DisplayName("an idle sender dozes (a pass a second, not 200) and the first trace after it leaves at once, each time")
    void idleSenderDozesAndTheNextTraceWakesIt() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DefaultCamelContext context = new DefaultCamelContext()) {
            // well under the doze's 1 s: offered just after the doze began, a trace not woken for would miss this
            receiver.setSoTimeout(500);
            HepSender hep = new HepSender(new InetSocketAddress(LOOPBACK, receiver.getLocalPort()), false, 9, null, 100);
            hep.start(context.getExecutorServiceManager());
            try {
                byte[] buf = new byte[2048];
                for (int round = 0; round < 3; round++) {
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (!hep.handoff().dozing() && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    assertTrue(hep.handoff().dozing(), "round " + round + ": no doze after 5 s without traces");
                    hep.trace(udpPeer(40000), options(round), true);
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    receiver.receive(p); // SocketTimeoutException: the trace waited for the doze to end
                    String text = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
                    assertTrue(text.contains("burst-" + round + "\r\n"), "round " + round + ": " + text);
                }
                assertEquals(3, hep.handoff().handled());
                assertEquals(0, hep.handoff().dropped());
            } finally {
                hep.stop(context.getExecutorServiceManager());
            }
        }
    }

    @Test
    @DisplayName("a receiver that is gone: traces are sent into the void, nothing fails, the sender stays up")
    void receiverGone() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            port = s.getLocalPort(); // free again when this closes: nobody listens there
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            HepSender hep = new HepSender(new InetSocketAddress(LOOPBACK, port), false, 9, "pw", 10_000);
            hep.start(context.getExecutorServiceManager());
            try {
                for (int i = 0; i < 200; i++) {
                    hep.trace(udpPeer(40000), options(i), true);
                }
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (hep.handoff().handled() < 200 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(200, hep.handoff().handled());
                assertEquals(0, hep.handoff().dropped());
                assertEquals(0, hep.handoff().failed(), "an unconnected socket gets no ICMP error back");
            } finally {
                hep.stop(context.getExecutorServiceManager());
            }
        }
    }

    /** The Call-IDs of the HEP v3 packets of a TCP stream, in order, until {@code count} or a timeout. */
    private static List<String> readStream(Socket connection, int count) throws IOException {
        connection.setSoTimeout(5000);
        DataInputStream in = new DataInputStream(connection.getInputStream());
        List<String> callIds = new ArrayList<>();
        while (callIds.size() < count) {
            String text = new String(HepEncoderTest.chunks(HepEncoderTest.nextPacket(in)).get(15), StandardCharsets.ISO_8859_1);
            callIds.add(text.substring(text.indexOf("Call-ID: ") + 9, text.indexOf("\r\nCSeq")));
        }
        return callIds;
    }

    private static List<String> burstIds(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("burst-" + i);
        }
        return ids;
    }

    private static void awaitHandled(HepSender hep, long n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (hep.handoff().handled() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, hep.handoff().handled());
    }

    @Test
    @DisplayName("over TCP: every trace reaches a real TCP receiver as HEP v3 packets on one stream, in order")
    void tcpReceiverGetsEveryTraceInOrder() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, LOOPBACK); DefaultCamelContext context = new DefaultCamelContext()) {
            listener.setSoTimeout(10_000);
            HepSender hep = new HepSender(new InetSocketAddress(LOOPBACK, listener.getLocalPort()), true, 9, null, 10_000);
            assertEquals("tcp", hep.transport());
            hep.start(context.getExecutorServiceManager());
            try (Socket connection = listener.accept()) {
                for (int i = 0; i < 2_000; i++) {
                    hep.trace(udpPeer(40000), options(i), i % 2 == 0);
                }
                assertEquals(burstIds(0, 2_000), readStream(connection, 2_000));
                assertEquals(2_000, hep.handoff().handled());
                assertEquals(0, hep.handoff().dropped());
                assertEquals(0, hep.handoff().failed());
            } finally {
                hep.stop(context.getExecutorServiceManager());
            }
        }
    }

    @Test
    @DisplayName("over TCP: a receiver down at start, then up, then dropping the connection: traces queue, drop when "
            + "the queue is full, and flow again after each reconnect")
    void tcpReceiverDownThenUpThenGoneAgain() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort(); // nobody listens there until the listener below
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            HepSender hep = new HepSender(new InetSocketAddress(LOOPBACK, port), true, 9, null, 100);
            hep.start(context.getExecutorServiceManager());
            try {
                for (int i = 0; i < 150; i++) {
                    hep.trace(udpPeer(40000), options(i), true); // returns at once: no connection, nothing waits
                }
                assertEquals(50, hep.handoff().dropped(), "a queue of 100 holds the first 100 of 150");
                assertEquals(0, hep.handoff().handled());
                Thread.sleep(700); // past the first retry: the next ones wait longer (doubling)
                try (ServerSocket listener = new ServerSocket(port, 1, LOOPBACK)) {
                    listener.setSoTimeout(10_000); // the retries wait 1, then 2 s
                    try (Socket connection = listener.accept()) {
                        assertEquals(burstIds(0, 100), readStream(connection, 100), "the queued traces, in order");
                    } // the receiver drops the connection
                    awaitHandled(hep, 100);
                    try (Socket again = listener.accept()) { // reconnected after half a second
                        for (int i = 150; i < 160; i++) {
                            hep.trace(udpPeer(40000), options(i), true);
                        }
                        assertEquals(burstIds(150, 160), readStream(again, 10));
                    }
                }
                assertEquals(50, hep.handoff().dropped());
            } finally {
                hep.stop(context.getExecutorServiceManager());
            }
        }
    }

    @Test
    @DisplayName("trunkgate.hep.transport is udp or tcp; anything else is a configuration error naming the key")
    void transportSetting() {
        Settings tcp = new Settings(k -> Optional.ofNullable(Map.of("trunkgate.hep.address", "127.0.0.1:9060",
                "trunkgate.hep.transport", "TCP").get(k)));
        assertEquals("tcp", HepSender.from(tcp).transport());
        Settings shipped = new Settings(k -> Optional.ofNullable(Map.of("trunkgate.hep.address", "127.0.0.1:9060").get(k)));
        assertEquals("udp", HepSender.from(shipped).transport());
        Settings sctp = new Settings(k -> Optional.ofNullable(Map.of("trunkgate.hep.address", "127.0.0.1:9060",
                "trunkgate.hep.transport", "sctp").get(k)));
        ConfigException e = assertThrows(ConfigException.class, () -> HepSender.from(sctp));
        assertTrue(e.getMessage().contains("trunkgate.hep.transport"), e.getMessage());
    }
}
