package io.trunkgate.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocket;

import io.trunkgate.admission.CallAdmission;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.peers.SipWire;
import io.trunkgate.peers.Sipp;
import io.trunkgate.peers.Stunnel;
import io.trunkgate.peers.TlsSipClient;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.Test;

/**
 * A bounded fuzz run (issue #17): mutated INVITE (with SDP), OPTIONS and BYE over UDP to the inside listener and
 * over TLS to the trunk listener, each mutation from a fixed seed (a failure repeats). Every request gets an answer or
 * is a refusal the gateway counted (a dropped message, a closed stream), nothing reaches the console outside the
 * logger, no ERROR is logged, the media range is free again at the end, and a normal call right after succeeds.
 */
class FuzzTest {

    /** Answers read while the requests were still being sent (see the UDP phase). */
    private final List<String> early = new ArrayList<>();

    private static final int UDP_MESSAGES = 600;
    private static final int TLS_MESSAGES = 150;
    private static final long SEED = 17;
    private static final String RANGE = "31100-31199";
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(content-length|l)[ \\t]*:[ \\t]*\\d+");

    private final Random random = new Random(SEED);
    /**
     * Final responses that carry no token (the mutation took it out of Via, From and Call-ID, or cut the message
     * before them): answers all the same, to requests that cannot be told.
     */
    private final List<String> anonymous = new ArrayList<>();
    /** What was sent under each token, to show the requests left unanswered. */
    private final Map<String, String> sentText = new HashMap<>();

    @Test
    void mutated_messages_are_answered_or_counted_and_leave_the_gateway_whole() throws Exception {
        int pbxPort = RunningGateway.freePort();
        int remotePort = RunningGateway.freePort();
        Path config = TrunkConfigDir.create("localhost", remotePort, "sip:127.0.0.1:" + pbxPort + ";transport=udp",
                "optional");
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(out, console), true));
        System.setErr(new PrintStream(new Tee(err, console), true));
        Map<String, Integer> outcome = new HashMap<>();
        try (RunningGateway gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                "trunkgate.sip.t1", "50", "trunkgate.sip.message-timeout", "1s",
                "trunkgate.media.port-range", RANGE, "trunkgate.listener.handshakes-per-second-per-source", "0",
                "trunkgate.overload.media-fill", "0"))) {
            RefusalLog refusals = gateway.camel().getRegistry().lookupByNameAndType(TrunkgateBeans.REFUSALS, RefusalLog.class);
            long refusedBefore = silentRefusals(refusals);

            List<String> tokens = new ArrayList<>();
            List<String> udpSent = new ArrayList<>();
            try (SipWire udp = SipWire.udp(gateway.insidePort())) {
                for (int i = 0; i < UDP_MESSAGES; i++) {
                    String token = "fzu" + i + "x";
                    byte[] bytes = mutate(seed(i, token, udp.localPort(), "UDP", gateway.insidePort()), false);
                    sentText.put(token, new String(bytes, StandardCharsets.UTF_8));
                    udp.send(bytes);
                    udpSent.add(token);
                    if (i % 10 == 9) {
                        // paced, and the answers read as they come: 600 requests' answers (and 100 Trying) outgrow the
                        // receive buffer of a socket read only at the end, and the kernel drops them (loss on the wire,
                        // not a request the gateway ignored)
                        Thread.sleep(25);
                        early.addAll(drain(udp));
                    }
                }
                List<String> answeredUdp = answered(udp, udpSent, 8000);
                tally(outcome, answeredUdp, udpSent.size(), false);
                udpSent.stream().filter(t -> !answeredUdp.contains(t)).limit(8).forEach(t ->
                        System.err.println("FUZZ unanswered " + t + ":\n" + sentText.get(t)));
            }
            tokens.addAll(udpSent);

            List<SipWire> connections = new ArrayList<>();
            List<String> tlsSent = new ArrayList<>();
            try {
                for (int i = 0; i < TLS_MESSAGES; i++) {
                    String token = "fzt" + i + "x";
                    SSLSocket socket = (SSLSocket) TlsSipClient.sunJsse(gateway.pki().resolve(DevPki.ROOT), "TLSv1.2")
                            .getSocketFactory().createSocket("localhost", gateway.trunkPort());
                    socket.startHandshake();
                    SipWire tls = SipWire.stream(socket, "tls");
                    connections.add(tls);
                    tls.send(mutate(seed(i, token, tls.localPort(), "TLS", gateway.trunkPort()), true));
                    tlsSent.add(token);
                }
                Map<String, Boolean> closed = new HashMap<>();
                List<String> answeredTls = new ArrayList<>();
                long end = System.currentTimeMillis() + 8000;
                for (int i = 0; i < connections.size(); i++) {
                    List<String> one = answered(connections.get(i), List.of(tlsSent.get(i)),
                            (int) Math.max(1, end - System.currentTimeMillis()));
                    answeredTls.addAll(one);
                    closed.put(tlsSent.get(i), one.isEmpty() && connections.get(i).closed());
                }
                tally(outcome, answeredTls, tlsSent.size(), false);
                outcome.merge("tls closed unanswered", (int) closed.values().stream().filter(b -> b).count(), Integer::sum);
            } finally {
                for (SipWire c : connections) {
                    c.close();
                }
            }
            tokens.addAll(tlsSent);

            int unanswered = outcome.getOrDefault("unanswered", 0);
            long refused = silentRefusals(refusals) - refusedBefore;
            System.setOut(out);
            System.setErr(err);
            System.out.println("fuzz run: " + tokens.size() + " mutated requests (" + UDP_MESSAGES + " UDP, " + TLS_MESSAGES
                    + " TLS, seed " + SEED + "): " + outcome + "; refusals without an answer counted by the gateway: "
                    + refused + "; answers without a token: " + anonymous.size() + "; by kind: " + refusals.totals() + "; JAIN-SIP writes kept off the console: "
                    + io.trunkgate.sip.LibraryOutput.swallowed());
            assertTrue(unanswered <= refused + anonymous.size(), unanswered + " requests got no answer we could match, but "
                    + "the gateway counted only " + refused + " refusals without one and sent " + anonymous.size()
                    + " answers without a token: " + refusals.totals());

            // the media range free again, the calls' admission counts back to zero
            MediaRelayService relay = gateway.camel().getRegistry().lookupByNameAndType(TrunkgateBeans.MEDIA_RELAY,
                    MediaRelayService.class);
            long end = System.currentTimeMillis() + 15_000;
            while ((relay.relay().sessionCount() > 0 || relay.relay().portsInUse() > 0) && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            assertEquals(0, relay.relay().sessionCount(), "media sessions left after the fuzz run");
            assertEquals(0, relay.relay().portsInUse(), "media ports held after the fuzz run");
            CallAdmission admission = gateway.camel().getRegistry().lookupByNameAndType(TrunkgateBeans.CALL_ADMISSION,
                    CallAdmission.class);
            while (admission.activeCalls() > 0 && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            assertEquals(0, admission.activeCalls(), "calls still counted after the fuzz run");

            // the log lines pass the console too (logback-test.xml): a printed stack trace is a line of its own
            List<String> traces = console.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("\tat ") || l.matches("^[a-z][\\w.]*\\.\\w*(Exception|Error)\\b.*")).toList();
            assertTrue(traces.isEmpty(), "a stack trace reached the console: " + traces.subList(0, Math.min(10, traces.size())));
            assertTrue(gateway.logLines().stream().noneMatch(l -> l.startsWith("ERROR")), "an ERROR line: "
                    + gateway.logLines().stream().filter(l -> l.startsWith("ERROR")).findFirst().orElse(""));

            // a normal call right after: remote UAC over TLS (stunnel) -> trunkgate -> PBX on UDP
            Sipp.Running pbx = Sipp.start("uas.xml", List.of("-t", "u1", "-i", "127.0.0.1", "-p",
                    String.valueOf(pbxPort), "-m", "3"));
            try (Stunnel tunnel = Stunnel.client(RunningGateway.freePort(), gateway.trunkPort(),
                    gateway.pki().resolve(DevPki.ROOT), "localhost")) {
                Thread.sleep(300);
                Sipp.Result caller = Sipp.run("uac.xml", List.of("-t", "t1", "-i", "127.0.0.1", "-s", "+13175550100",
                        "-m", "3", "-r", "10", "-timeout", "60s", "-timeout_error", "-default_behaviors",
                        "all,-abortunexp", "127.0.0.1:" + tunnel.acceptPort()), 90);
                caller.assertCalls("a normal call after the fuzz run", 3);
                pbx.await(30).assertCalls("the PBX", 3);
            } finally {
                pbx.stop();
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Refusals the gateway counted that give no answer: dropped messages and closed streams. */
    private static long silentRefusals(RefusalLog refusals) {
        return refusals.totals().entrySet().stream()
                .filter(e -> e.getKey().startsWith("dropped") || e.getKey().startsWith("stream closed"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static void tally(Map<String, Integer> outcome, List<String> answered, int sent, boolean unused) {
        outcome.merge("answered", answered.size(), Integer::sum);
        outcome.merge("unanswered", sent - answered.size(), Integer::sum);
    }

    /** The tokens of {@code tokens} a final response came back for within {@code millis}. */
    /** Answers already waiting on {@code wire}, read without waiting. */
    private static List<String> drain(SipWire wire) throws Exception {
        List<String> out = new ArrayList<>();
        String m;
        while ((m = wire.receive(1)) != null) {
            out.add(m);
        }
        return out;
    }

    private List<String> answered(SipWire wire, List<String> tokens, int millis) throws Exception {
        List<String> found = new ArrayList<>();
        java.util.Set<String> open = new java.util.HashSet<>(tokens);
        long end = System.currentTimeMillis() + millis;
        while (!open.isEmpty() && (!early.isEmpty() || end - System.currentTimeMillis() > 0)) {
            String m = early.isEmpty() ? wire.receive((int) Math.max(1, Math.min(end - System.currentTimeMillis(), 1000)))
                    : early.remove(0);
            if (m == null) {
                if (wire.closed()) {
                    break;
                }
                continue;
            }
            if (SipWire.status(m) < 200) {
                continue;
            }
            Matcher t = Pattern.compile("fz[ut]\\d+x").matcher(m);
            if (!t.find()) {
                anonymous.add(m);
                continue;
            }
            t.reset();
            while (t.find()) {
                if (open.remove(t.group())) {
                    found.add(t.group());
                }
            }
        }
        return found;
    }

    /** One of the seed messages, its Call-ID, branch and tag carrying {@code token}. */
    private String seed(int i, String token, int localPort, String transport, int gatewayPort) {
        String via = "Via: SIP/2.0/" + transport + " 127.0.0.1:" + localPort + ";branch=z9hG4bK" + token + ";rport\r\n";
        String from = "From: <sip:pbx@127.0.0.1>;tag=" + token + "\r\n";
        String common = via + "Max-Forwards: 70\r\n" + from + "Call-ID: " + token + "@fuzz\r\n";
        boolean trunk = transport.equals("TLS");
        String target = trunk ? "sip:+13175550100;tgrp=test-tg1;trunk-context=example.com@localhost"
                : "sip:+13175550100@127.0.0.1";
        switch (i % 4) {
            case 0, 1 -> {
                String sdp = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                        + "a=ptime:20\r\n";
                return "INVITE " + target + " SIP/2.0\r\n" + common + "To: <" + target + ">\r\nCSeq: 1 INVITE\r\n"
                        + "Contact: <sip:pbx@127.0.0.1:" + localPort + ">\r\nContent-Type: application/sdp\r\n"
                        + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
            }
            case 2 -> {
                String uri = i % 8 == 2 ? "sip:127.0.0.1:" + gatewayPort : target; // to the gateway, or routed
                return "OPTIONS " + uri + " SIP/2.0\r\n" + common + "To: <" + uri + ">\r\nCSeq: 1 OPTIONS\r\n"
                        + "Accept: application/sdp\r\nContent-Length: 0\r\n\r\n";
            }
            default -> {
                return "BYE " + target + " SIP/2.0\r\n" + common + "To: <" + target + ">;tag=callee" + i + "\r\n"
                        + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
            }
        }
    }

    private static final String[] BAD_ADDRESSES = {"127.0.0.300", "1.2.3", "::zz::", "", "999.1.1.1", "-", "256.256.256.256"};
    private static final String[] BAD_NUMBERS = {"99999999999999999999", "-1", "0", "4294967296", "70000", "007"};
    private static final String[] JUNK = {"\u0000", "\u0001\u0002", "\"", "<", ">", ";;", ",", "%", "%zz", "\t", " ", ":",
            "\r\n", "\r\n ", "\u00ff\u00fe", "@@", "sip:", "SIP/2.0"};

    /** One to three mutations of {@code message}; on a stream Content-Length mostly follows the body again. */
    private byte[] mutate(String message, boolean stream) {
        String m = message;
        int n = 1 + random.nextInt(3);
        for (int k = 0; k < n; k++) {
            m = switch (random.nextInt(10)) {
                case 0 -> replaceAt(m, random.nextInt(m.length()), JUNK[random.nextInt(JUNK.length)]);
                case 1 -> lines(m, true);
                case 2 -> lines(m, false);
                case 3 -> m.substring(0, Math.max(1, random.nextInt(m.length())));
                case 4 -> m.replaceFirst("\\d+", BAD_NUMBERS[random.nextInt(BAD_NUMBERS.length)]);
                case 5 -> m.replaceFirst("c=IN IP4 [^\r]*", "c=IN IP4 " + BAD_ADDRESSES[random.nextInt(BAD_ADDRESSES.length)]);
                case 6 -> m.replaceFirst("m=audio \\d+", "m=audio " + BAD_NUMBERS[random.nextInt(BAD_NUMBERS.length)]);
                case 7 -> m.replaceAll("c=IN IP4 [^\r]*\r\n", "");
                case 8 -> m.replaceFirst("\r\n", "\r\nX-Fuzz" + random.nextInt(5) + ": " + JUNK[random.nextInt(JUNK.length)] + "\r\n");
                default -> m.replaceFirst("(?m)^([A-Za-z-]+):", random.nextBoolean() ? "$1 :" : "$1:\t");
            };
        }
        if (!stream || random.nextInt(4) > 0) {
            int end = m.indexOf("\r\n\r\n");
            if (end >= 0) {
                int body = m.getBytes(StandardCharsets.UTF_8).length - end - 4;
                Matcher cl = CONTENT_LENGTH.matcher(m);
                if (cl.find() && cl.start() < end && random.nextBoolean()) {
                    m = m.substring(0, cl.start()) + cl.group(1) + ": " + body + m.substring(cl.end());
                }
            }
        }
        return m.getBytes(StandardCharsets.UTF_8);
    }

    private static String replaceAt(String s, int at, String with) {
        return s.substring(0, at) + with + s.substring(Math.min(s.length(), at + 1));
    }

    /** Deletes (or repeats) one line. */
    private String lines(String m, boolean delete) {
        String[] parts = m.split("\r\n", -1);
        int i = random.nextInt(parts.length);
        List<String> out = new ArrayList<>(List.of(parts));
        if (delete) {
            out.remove(i);
        } else {
            out.add(i, parts[i]);
        }
        return String.join("\r\n", out);
    }

    /** Writes to the console and keeps a copy. */
    private static final class Tee extends java.io.OutputStream {
        private final PrintStream console;
        private final ByteArrayOutputStream copy;

        Tee(PrintStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            console.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            console.write(b, off, len);
            synchronized (copy) {
                copy.write(b, off, len);
            }
        }
    }
}
