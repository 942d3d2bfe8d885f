package io.trunkgate.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.Peers;
import io.trunkgate.peers.Sipp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * HEP v3 to a real Homer-side receiver (issue #14): sngrep listens for HEP and writes what it gets to a pcap; after
 * one SIPp call over TLS through the gateway the capture holds every message of the call on both sides, the TLS
 * side in clear text, with the addresses and ports of each hop, in order.
 */
class HepTraceTest {

    /** One SIP packet of the capture. */
    record Packet(String srcIp, int srcPort, String dstIp, int dstPort, boolean tcp, String sip) {
        String firstLine() {
            return sip.substring(0, sip.indexOf("\r\n"));
        }

        /** INVITE, ACK, BYE ... or the status code: 100, 180, 200. */
        String kind() {
            String l = firstLine();
            return l.startsWith("SIP/2.0 ") ? l.substring(8, 11) : l.substring(0, l.indexOf(' '));
        }

        String callId() {
            for (String line : sip.split("\r\n")) {
                if (line.regionMatches(true, 0, "Call-ID:", 0, 8)) {
                    return line.substring(8).trim();
                }
            }
            return null;
        }
    }

    @Test
    @DisplayName("sngrep receives the decrypted SIP of a TLS call over HEP v3: both sides, addresses, ports, in order")
    void sngrepGetsTheCall() throws Exception {
        String sngrep = Peers.require("sngrep");
        Peers.require("sipp");
        Peers.require("stunnel4");
        int hepPort = RunningGateway.freePort();
        Path pcap = Files.createTempDirectory("hep").resolve("call.pcap");
        Process receiver = new ProcessBuilder(sngrep, "-q", "-N", "-L", "udp:127.0.0.1:" + hepPort, "-O", pcap.toString())
                .redirectErrorStream(true).redirectOutput(pcap.resolveSibling("sngrep.log").toFile()).start();
        try (InboundCalls calls = new InboundCalls(Map.of("trunkgate.hep.address", "127.0.0.1:" + hepPort,
                "trunkgate.hep.agent-id", "77"), "udp")) {
            Thread.sleep(500); // sngrep binds its socket
            Sipp.Result[] r = calls.call("uac.xml", "uas.xml", 1);
            r[0].assertCalls("caller", 1);
            Thread.sleep(1000); // the last traces leave the gateway's queue
            receiver.destroy(); // SIGTERM: sngrep writes the capture
            assertTrue(receiver.waitFor(10, TimeUnit.SECONDS), "sngrep did not stop");

            assertCall(read(pcap), calls, false);
        } finally {
            receiver.destroyForcibly();
        }
    }

    /**
     * Every message of the capture's call, on both sides, with the addresses and ports of each hop, in order;
     * {@code transportKnown}: each trace's IP protocol too (TCP for the TLS trunk, UDP inside).
     */
    private static void assertCall(List<Packet> packets, InboundCalls calls, boolean transportKnown) {
        String callId = packets.stream().filter(p -> p.kind().equals("INVITE")).findFirst()
                .orElseThrow(() -> new AssertionError("no INVITE in the capture: " + packets)).callId();
        int trunk = calls.gateway.trunkPort();
        int inside = calls.gateway.insidePort();
        List<String> trunkSide = new ArrayList<>();
        List<String> insideSide = new ArrayList<>();
        for (Packet p : packets) {
            if (!callId.equals(p.callId())) {
                continue;
            }
            assertEquals("127.0.0.1", p.srcIp(), p.toString());
            assertEquals("127.0.0.1", p.dstIp(), p.toString());
            if (transportKnown) { // TLS on the trunk side (TCP), UDP inside; sngrep's pcap shows every trace as UDP
                assertEquals(p.srcPort() == trunk || p.dstPort() == trunk, p.tcp(), p.toString());
            }
            if (p.dstPort() == trunk) {
                trunkSide.add("in " + p.kind());
            } else if (p.srcPort() == trunk) {
                trunkSide.add("out " + p.kind());
            } else if (p.srcPort() == inside && p.dstPort() == calls.pbxPort) {
                insideSide.add("out " + p.kind());
            } else if (p.srcPort() == calls.pbxPort && p.dstPort() == inside) {
                insideSide.add("in " + p.kind());
            } else {
                throw new AssertionError("a trace with unexpected ports: " + p);
            }
        }
        assertEquals(List.of("in INVITE", "out 100", "out 180", "out 200", "in ACK", "in BYE", "out 200"),
                collapse(trunkSide), "the trunk side (TLS, in clear text)");
        assertEquals(List.of("out INVITE", "in 180", "in 200", "out ACK", "out BYE", "in 200"), collapse(insideSide),
                "the inside (UDP)");
    }

    @Test
    @DisplayName("over TCP (trunkgate.hep.transport=tcp), a real TCP receiver gets the same call: every message, each "
            + "hop's addresses, ports and transport, in order")
    void tcpReceiverGetsTheCall() throws Exception {
        Peers.require("sipp");
        Peers.require("stunnel4");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                InboundCalls calls = new InboundCalls(Map.of("trunkgate.hep.address", "127.0.0.1:" + listener.getLocalPort(),
                        "trunkgate.hep.transport", "tcp"), "udp")) {
            listener.setSoTimeout(10_000);
            try (Socket connection = listener.accept()) { // the gateway connects once it starts
                Sipp.Result[] r = calls.call("uac.xml", "uas.xml", 1);
                r[0].assertCalls("caller", 1);
                connection.setSoTimeout(1500);
                DataInputStream in = new DataInputStream(connection.getInputStream());
                List<Packet> packets = new ArrayList<>();
                try {
                    while (true) {
                        Map<Integer, byte[]> c = HepEncoderTest.chunks(HepEncoderTest.nextPacket(in));
                        packets.add(new Packet(InetAddress.getByAddress(c.get(3)).getHostAddress(), port(c.get(7)),
                                InetAddress.getByAddress(c.get(4)).getHostAddress(), port(c.get(8)), c.get(2)[0] == 6,
                                new String(c.get(15), StandardCharsets.UTF_8)));
                    }
                } catch (SocketTimeoutException done) {
                    // 1.5 s without a trace: the call's last ones have come
                }
                assertCall(packets, calls, true);
            }
        }
    }

    private static int port(byte[] chunk) {
        return (chunk[0] & 0xff) << 8 | chunk[1] & 0xff;
    }

    /** Retransmissions (the same message again, next to itself) counted once. */
    private static List<String> collapse(List<String> seq) {
        List<String> out = new ArrayList<>();
        for (String s : seq) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The SIP packets of a pcap file (link types Ethernet, raw IP or Linux cooked), IPv4 over UDP or TCP. */
    static List<Packet> read(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = b.getInt(0);
        b.order(magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int linkType = b.getInt(20);
        ByteBuffer net = ByteBuffer.wrap(b.array()); // the packets themselves: network byte order
        int link = switch (linkType) {
            case 1 -> 14;     // Ethernet
            case 101, 228 -> 0; // raw IP, raw IPv4
            case 113 -> 16;   // Linux cooked
            case 276 -> 20;   // Linux cooked v2
            default -> throw new AssertionError("pcap link type " + linkType);
        };
        List<Packet> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= b.limit()) {
            int captured = b.getInt(pos + 8);
            int ip = pos + 16 + link;
            pos += 16 + captured;
            if ((b.get(ip) >> 4) != 4) {
                continue;
            }
            int ihl = (b.get(ip) & 0x0f) * 4;
            int proto = b.get(ip + 9) & 0xff;
            int total = net.getShort(ip + 2) & 0xffff;
            String src = ipv4(b, ip + 12);
            String dst = ipv4(b, ip + 16);
            int l4 = ip + ihl;
            int srcPort = net.getShort(l4) & 0xffff;
            int dstPort = net.getShort(l4 + 2) & 0xffff;
            int payload = proto == 6 ? l4 + ((b.get(l4 + 12) >> 4) & 0x0f) * 4 : l4 + 8;
            int end = Math.min(ip + total, pos);
            if (payload >= end) {
                continue;
            }
            byte[] sip = new byte[end - payload];
            b.get(payload, sip);
            out.add(new Packet(src, srcPort, dst, dstPort, proto == 6, new String(sip, StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static String ipv4(ByteBuffer b, int at) {
        return (b.get(at) & 0xff) + "." + (b.get(at + 1) & 0xff) + "." + (b.get(at + 2) & 0xff) + "." + (b.get(at + 3) & 0xff);
    }
}
