package io.trunkgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.relay.PacketBuffer;
import io.trunkgate.media.relay.SrtpProtector;

/**
 * Relayed packets per second (issue #6): 200 streams, each SRTP -> RTP (trunk to inside) and RTP -> SRTP (inside
 * to trunk), 172-byte RTP (160 bytes of G.711), through trunkgate's relay ({@link RelayServer}, its own JVM) and
 * through rtpengine (Debian rtpengine-daemon, userspace only: table = -1, set up by its ng protocol), one after the
 * other in the same run, at stepped offered rates. Loopback only; every step is bounded in time and packets.
 * Per relay and step: packets out, lost, the relay's CPU seconds (/proc/PID/stat utime+stime, all its threads) and
 * packets per CPU second ("per core").
 * <p>
 * Usage: RelayLoad [SECONDS_PER_STEP [RATE,RATE,...]] (rates are total offered packets/s, both directions).
 * {@code -Dha.redis=redis://...} runs a second relay of ours beside the first, with every call's state written to that
 * Redis as an HA active does (issue #18), their steps alternating, {@code -Drounds} (2) times per rate, and prints
 * packets per CPU-second with HA on over off; {@code -Drtpengine=false} leaves rtpengine out.
 */
public final class RelayLoad {

    static final int STREAMS = 200;
    static final int PAYLOAD = 160;
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final long TICK = 100; // ticks per second in /proc/PID/stat (USER_HZ)

    private RelayLoad() {
    }

    static byte[] sdp(int port, String proto, String extra) {
        return ("v=0\r\no=load 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + port + " " + proto
                + " 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n" + extra).getBytes(StandardCharsets.UTF_8);
    }

    /** A relay under test: sets calls up and tears them down; its process for CPU time. */
    interface Relay extends AutoCloseable {
        String name();

        long pid();

        /** @return {relay port the trunk sends SRTP to, relay port the inside sends RTP to} */
        int[] call(String id, int trunkPort, int insidePort, MasterKey trunkKey) throws IOException;

        void release(String id) throws IOException;
    }

    // ------------------------------------------------------------------ load

    record Stream(DatagramChannel trunk, DatagramChannel inside, byte[][] srtp, int ssrc) {
    }

    record StepResult(String relay, int offered, double seconds, long sentSrtp, long sentRtp, long gotRtp,
            long gotSrtp, double cpuSeconds, double systemSeconds) {
        long lost() {
            return sentSrtp + sentRtp - gotRtp - gotSrtp;
        }

        double forwardedPerSecond() {
            return (gotRtp + gotSrtp) / seconds;
        }

        double perCpuSecond() {
            return (gotRtp + gotSrtp) / cpuSeconds;
        }
    }

    /** The warm-up step before the recorded ones: -Dwarmup.seconds (default 20) at 20,000 packets/s. */
    static final int WARMUP_SECONDS = Integer.getInteger("warmup.seconds", 20);
    static final int WARMUP_RATE = 20000;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        List<Integer> rates = new ArrayList<>();
        for (String r : (args.length > 1 ? args[1] : "20000,40000,60000,80000,100000,120000").split(",")) {
            rates.add(Integer.parseInt(r.trim()));
        }
        int perStream = (int) (Math.max(rates.stream().mapToInt(i -> i).max().orElseThrow() / 2L * seconds,
                WARMUP_RATE / 2L * WARMUP_SECONDS) / STREAMS + 50);
        SecureRandom random = new SecureRandom();
        MasterKey key = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_80, random);
        List<Stream> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            DatagramChannel t = channel();
            DatagramChannel in = channel();
            int ssrc = 0x10000 + i;
            byte[][] srtp = new byte[perStream][];
            // one protector per stream: a protector serves at most SrtpProtector.MAX_SSRCS SSRCs
            try (SrtpProtector protector = new SrtpProtector(key)) {
                for (int n = 0; n < perStream; n++) {
                    PacketBuffer p = PacketBuffer.copyOf(rtp(ssrc, n));
                    if (protector.protectRtp(p).isPresent()) {
                        throw new IllegalStateException("cannot pre-protect packet " + n + " of stream " + i);
                    }
                    srtp[n] = p.toArray();
                }
            }
            streams.add(new Stream(t, in, srtp, ssrc));
        }
        System.out.printf("%d streams, %d s per step, %d SRTP packets pre-protected per stream%n", STREAMS, seconds, perStream);
        List<StepResult> results = new ArrayList<>();
        String cp = System.getProperty("java.class.path");
        String haRedis = System.getProperty("ha.redis"); // issue #18: the same relay writing every call's state to Redis
        if (haRedis == null) {
            try (Relay ours = new OurRelay(cp, null, "30000-39999")) {
                results.addAll(run(ours, streams, key, seconds, rates));
            }
        } else {
            // both relays up at once, their steps alternating (ports apart): machine drift lands on both alike
            try (OurRelay plain = new OurRelay(cp, null, "30000-34999"); OurRelay ha = new OurRelay(cp, haRedis, "35000-39999")) {
                step(plain, streams, key, WARMUP_SECONDS, WARMUP_RATE, "warm-up");
                step(ha, streams, key, WARMUP_SECONDS, WARMUP_RATE, "warm-up");
                int rounds = Integer.getInteger("rounds", 2);
                for (int rate : rates) {
                    List<Double> ratios = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        StepResult off = step(plain, streams, key, seconds, rate, null);
                        StepResult on = step(ha, streams, key, seconds, rate, null);
                        results.add(off);
                        results.add(on);
                        ratios.add(on.perCpuSecond() / off.perCpuSecond());
                    }
                    java.util.Collections.sort(ratios);
                    System.out.printf("HA on over off at %,d pkt/s offered: pkt per CPU-s %s, median %.3f (target: within 0.95-1.05)%n",
                            rate, ratios.stream().map(r -> String.format("%.3f", r)).toList(),
                            (ratios.get((ratios.size() - 1) / 2) + ratios.get(ratios.size() / 2)) / 2);
                }
                System.out.println("  HA call store: " + ha.command("ha").substring(2).trim());
            }
        }
        Relay rtpengine = null;
        if (Boolean.parseBoolean(System.getProperty("rtpengine", "true"))) {
            try {
                rtpengine = new Rtpengine();
            } catch (IOException e) {
                System.out.println("rtpengine not run: " + e.getMessage());
            }
        }
        if (rtpengine != null) {
            try (Relay r = rtpengine) {
                results.addAll(run(r, streams, key, seconds, rates));
            }
        }
        System.out.println();
        System.out.println("| relay | offered pkt/s | forwarded pkt/s | lost | relay CPU s | cores used | pkt per CPU-s |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (StepResult r : results) {
            System.out.printf("| %s | %,d | %,.0f | %,d | %.2f | %.2f | %,.0f |%n", r.relay, r.offered, r.forwardedPerSecond(),
                    r.lost(), r.cpuSeconds, r.cpuSeconds / r.seconds, r.perCpuSecond());
        }
        for (DatagramChannel c : streams.stream().flatMap(s -> java.util.stream.Stream.of(s.trunk, s.inside)).toList()) {
            c.close();
        }
    }

    static DatagramChannel channel() throws IOException {
        DatagramChannel c = DatagramChannel.open();
        c.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        c.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
        c.bind(new InetSocketAddress(LOOPBACK, 0));
        c.configureBlocking(false);
        return c;
    }

    static byte[] rtp(int ssrc, int seq) {
        byte[] p = new byte[12 + PAYLOAD];
        p[0] = (byte) 0x80;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        int ts = seq * 160;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) 0xff; // G.711 mu-law silence
        }
        return p;
    }

    static List<StepResult> run(Relay relay, List<Stream> streams, MasterKey key, int seconds, List<Integer> rates)
            throws Exception {
        List<StepResult> out = new ArrayList<>();
        System.out.println("== " + relay.name() + " (pid " + relay.pid() + ")");
        // JIT for ours (C2 needs more than the 40,000 packets of the first version's 2 s), caches for both; not recorded
        step(relay, streams, key, WARMUP_SECONDS, WARMUP_RATE, "warm-up");
        for (int rate : rates) {
            StepResult r = step(relay, streams, key, seconds, rate, null);
            out.add(r);
            System.out.printf("%s %,d pkt/s offered: forwarded %,.0f/s, lost %d, CPU %.2f s (kernel %.2f s) -> %,.0f pkt per CPU-s%n",
                    relay.name(), rate, r.forwardedPerSecond(), r.lost(), r.cpuSeconds, r.systemSeconds, r.perCpuSecond());
            if (r.lost() > (r.sentRtp + r.sentSrtp) / 100) {
                break; // over 1% lost: past saturation, higher steps say nothing more
            }
        }
        return out;
    }

    static int stepNo;

    static StepResult step(Relay relay, List<Stream> streams, MasterKey key, int seconds, int rate, String label)
            throws Exception {
        int step = stepNo++;
        int[][] targets = new int[streams.size()][];
        for (int i = 0; i < streams.size(); i++) {
            Stream s = streams.get(i);
            targets[i] = relay.call("load-" + step + "-" + i, port(s.trunk), port(s.inside), key);
        }
        AtomicLong gotRtp = new AtomicLong();
        AtomicLong gotSrtp = new AtomicLong();
        AtomicBoolean receiving = new AtomicBoolean(true);
        Selector selector = Selector.open();
        long[] perInside = new long[streams.size()];
        for (int i = 0; i < streams.size(); i++) {
            Stream s = streams.get(i);
            s.trunk.register(selector, SelectionKey.OP_READ, -1 - i); // SRTP arrives on the trunk socket
            s.inside.register(selector, SelectionKey.OP_READ, i);
        }
        Thread receiver = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            try {
                while (receiving.get()) {
                    if (selector.select(50) == 0) {
                        continue;
                    }
                    for (SelectionKey k : selector.selectedKeys()) {
                        DatagramChannel c = (DatagramChannel) k.channel();
                        for (int n = 0; n < 64; n++) {
                            buf.clear();
                            if (c.receive(buf) == null) {
                                break;
                            }
                            int idx = (Integer) k.attachment();
                            if (idx < 0) {
                                gotSrtp.incrementAndGet();
                            } else {
                                gotRtp.incrementAndGet();
                                perInside[idx]++;
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "load-receiver");
        receiver.start();

        long[] ticksBefore = cpuTicks(relay.pid());
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        long sentSrtp = 0;
        long sentRtp = 0;
        int[] seq = new int[streams.size()];
        byte[][] rtpOut = new byte[streams.size()][];
        for (int i = 0; i < streams.size(); i++) {
            rtpOut[i] = rtp(streams.get(i).ssrc + 0x100000, 0);
        }
        ByteBuffer plain = ByteBuffer.allocate(12 + PAYLOAD);
        InetSocketAddress[] trunkTargets = new InetSocketAddress[streams.size()];
        InetSocketAddress[] insideTargets = new InetSocketAddress[streams.size()];
        for (int i = 0; i < streams.size(); i++) {
            trunkTargets[i] = new InetSocketAddress(LOOPBACK, targets[i][0]);
            insideTargets[i] = new InetSocketAddress(LOOPBACK, targets[i][1]);
        }
        // paced in 1 ms slots; each slot sends one packet per direction for as many streams as the rate asks
        long sent = 0;
        int cursor = 0;
        while (sent < total) {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
            while (sent < due) {
                int i = cursor;
                Stream s = streams.get(i);
                int n = seq[i];
                if ((sent & 1) == 0) {
                    s.trunk.send(ByteBuffer.wrap(s.srtp[n]), trunkTargets[i]);
                    sentSrtp++;
                } else {
                    byte[] p = rtpOut[i];
                    p[2] = (byte) (n >> 8);
                    p[3] = (byte) n;
                    plain.clear();
                    plain.put(p).flip();
                    s.inside.send(plain, insideTargets[i]);
                    sentRtp++;
                    seq[i]++;
                    cursor = (cursor + 1) % streams.size();
                }
                sent++;
            }
            Thread.onSpinWait();
            if (due == sent) {
                TimeUnit.MICROSECONDS.sleep(200);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        // drain: what is still in flight arrives within this
        long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        long last = -1;
        while (System.nanoTime() < settle) {
            Thread.sleep(100);
            long now = gotRtp.get() + gotSrtp.get();
            if (now == sentRtp + sentSrtp || now == last) {
                break;
            }
            last = now;
        }
        long[] ticks = cpuTicks(relay.pid());
        double sys = (ticks[1] - ticksBefore[1]) / (double) TICK;
        double cpu = (ticks[0] - ticksBefore[0]) / (double) TICK + sys;
        receiving.set(false);
        receiver.join();
        selector.close();
        long leftover = 0;
        ByteBuffer drain = ByteBuffer.allocate(2048);
        for (Stream s : streams) {
            for (DatagramChannel c : new DatagramChannel[] {s.trunk, s.inside}) {
                drain.clear();
                while (c.receive(drain) != null) {
                    leftover++;
                    drain.clear();
                }
            }
        }
        if (leftover > 0) {
            System.out.println("  (" + leftover + " packets arrived after the receiver stopped: counted as lost)");
        }
        for (int i = 0; i < streams.size(); i++) {
            relay.release("load-" + step + "-" + i);
        }
        StepResult r = new StepResult(relay.name(), rate, elapsed, sentSrtp, sentRtp, gotRtp.get(), gotSrtp.get(), cpu, sys);
        if (label != null) {
            System.out.printf("%s %s: forwarded %,.0f/s, lost %d (SRTP->RTP %d of %d, RTP->SRTP %d of %d)%n", relay.name(),
                    label, r.forwardedPerSecond(), r.lost(), r.gotRtp, r.sentSrtp, r.gotSrtp, r.sentRtp);
        }
        return r;
    }

    static int port(DatagramChannel c) throws IOException {
        return ((InetSocketAddress) c.getLocalAddress()).getPort();
    }

    /** {utime, stime} of a process, all threads, in clock ticks (stime: in the kernel, the socket calls). */
    static long[] cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])}; // fields 14 and 15
    }

    // ------------------------------------------------------------------ relays

    /** trunkgate's relay in a JVM of its own (RelayServer); with a Redis URI, writing each call's state there (HA). */
    static final class OurRelay implements Relay {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;
        private final String name;

        OurRelay(String classpath, String haRedis, String ports) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "@config/jvm.options", // the gateway's own JVM options (run from the project root)
                    "-cp", classpath, RelayServer.class.getName(), "--ports", ports));
            if (haRedis != null) {
                cmd.addAll(List.of("--ha", haRedis));
            }
            name = haRedis == null ? "trunkgate" : "trunkgate+ha";
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
            String first = out.readLine();
            while (first != null && !first.equals("ready")) {
                first = out.readLine();
            }
            if (!"ready".equals(first)) {
                throw new IOException("RelayServer did not start: " + first);
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        String command(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
            String reply = out.readLine();
            while (reply != null && !reply.startsWith("ok") && !reply.startsWith("err")) {
                reply = out.readLine(); // the relay's own log lines share stdout
            }
            if (reply == null || !reply.startsWith("ok")) {
                throw new IOException("RelayServer: " + reply);
            }
            return reply;
        }

        @Override
        public int[] call(String id, int trunkPort, int insidePort, MasterKey key) throws IOException {
            String[] w = command("call " + id + " " + trunkPort + " " + insidePort + " " + key.inline()).split(" ");
            return new int[] {Integer.parseInt(w[1]), Integer.parseInt(w[2])};
        }

        @Override
        public void release(String id) throws IOException {
            String reply = command("release " + id);
            if (id.endsWith("-0")) {
                System.out.println("  first stream: " + reply.substring(2).trim());
            }
        }

        @Override
        public void close() throws Exception {
            try {
                command("quit");
            } finally {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** rtpengine, userspace only (table = -1), driven by the ng protocol: bencode over UDP. */
    static final class Rtpengine implements Relay {
        static final Pattern M_PORT = Pattern.compile("m=audio (\\d+) ");
        private final Process process;
        private final DatagramChannel control;
        private final InetSocketAddress ng;
        private long cookie;

        Rtpengine() throws IOException {
            String exe = "/usr/bin/rtpengine";
            if (!Files.isExecutable(Path.of(exe))) {
                throw new IOException(exe + " is not installed (apt-get install rtpengine-daemon)");
            }
            int ngPort;
            try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
                ngPort = port(probe);
            }
            ng = new InetSocketAddress(LOOPBACK, ngPort);
            process = new ProcessBuilder(exe, "--table=-1", "--foreground", "--log-stderr", "--log-level=4",
                    "--interface=127.0.0.1", "--listen-ng=127.0.0.1:" + ngPort, "--port-min=50000", "--port-max=59999",
                    "--pidfile=/tmp/trunkgate-bench-rtpengine.pid")
                    .redirectErrorStream(true).redirectOutput(Path.of("/tmp/trunkgate-bench-rtpengine.log").toFile()).start();
            control = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
            control.socket().setSoTimeout(2000);
            for (int i = 0; i < 50; i++) {
                try {
                    if ("pong".equals(command(Map.of("command", "ping")).get("result"))) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (!process.isAlive()) {
                    break;
                }
            }
            process.destroyForcibly();
            throw new IOException("rtpengine did not answer ping; see /tmp/trunkgate-bench-rtpengine.log");
        }

        @Override
        public String name() {
            return "rtpengine";
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> command(Map<String, Object> body) throws IOException {
            String c = "tg" + (cookie++);
            byte[] b = Bencode.encode(body);
            ByteBuffer msg = ByteBuffer.allocate(c.length() + 1 + b.length);
            msg.put((c + " ").getBytes(StandardCharsets.US_ASCII)).put(b).flip();
            control.send(msg, ng);
            ByteBuffer reply = ByteBuffer.allocate(65536);
            java.net.DatagramPacket p = new java.net.DatagramPacket(reply.array(), reply.capacity());
            control.socket().receive(p);
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (!text.startsWith(c + " ")) {
                throw new IOException("rtpengine: unexpected reply " + text);
            }
            byte[] rest = java.util.Arrays.copyOfRange(p.getData(), c.length() + 1, p.getLength());
            return (Map<String, Object>) Bencode.decode(rest);
        }

        private int sdpPort(Map<String, Object> reply) throws IOException {
            if (!"ok".equals(reply.get("result"))) {
                throw new IOException("rtpengine: " + reply);
            }
            Matcher m = M_PORT.matcher((String) reply.get("sdp"));
            if (!m.find()) {
                throw new IOException("rtpengine: no m=audio in " + reply.get("sdp"));
            }
            return Integer.parseInt(m.group(1));
        }

        @Override
        public int[] call(String id, int trunkPort, int insidePort, MasterKey key) throws IOException {
            // the trunk offers SRTP; the inside leg gets plain RTP/AVP (rtpengine decrypts/encrypts, like us)
            String offer = new String(sdp(trunkPort, "RTP/SAVP", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
                    + key.inline() + "\r\n"), StandardCharsets.UTF_8);
            int insideTarget = sdpPort(command(Map.of("command", "offer", "call-id", id, "from-tag", "trunk",
                    "sdp", offer, "transport-protocol", "RTP/AVP", "replace", List.of("origin", "session-connection"))));
            String answer = new String(sdp(insidePort, "RTP/AVP", ""), StandardCharsets.UTF_8);
            Map<String, Object> a = command(Map.of("command", "answer", "call-id", id, "from-tag", "trunk", "to-tag",
                    "inside", "sdp", answer, "replace", List.of("origin", "session-connection")));
            int trunkTarget = sdpPort(a);
            if (!((String) a.get("sdp")).contains("RTP/SAVP") || !((String) a.get("sdp")).contains("a=crypto:1")) {
                throw new IOException("rtpengine did not answer SRTP: " + a.get("sdp"));
            }
            return new int[] {trunkTarget, insideTarget};
        }

        @Override
        public void release(String id) throws IOException {
            command(Map.of("command", "delete", "call-id", id, "from-tag", "trunk"));
        }

        @Override
        public void close() throws Exception {
            control.close();
            process.destroy(); // SIGTERM: rtpengine shuts down cleanly
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
