package io.trunkgate.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.trunkgate.ha.RelayStateWriter;
import io.trunkgate.media.relay.MediaRelay;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import io.trunkgate.media.sdp.MediaSecurity;
import io.trunkgate.media.relay.MediaSession;
import io.trunkgate.media.relay.MediaSettings;
import io.trunkgate.media.sdp.SdpResult;
import io.trunkgate.flow.Side;
import io.trunkgate.media.SrtpBridge;

/**
 * Our relay in a process of its own, so its CPU time is measured like rtpengine's (/proc/PID/stat). Calls are set
 * up through the SrtpBridge API with real SDP (what srtpBridge does per call). Line protocol on stdin/stdout:
 * {@code call ID TRUNK_PORT INSIDE_PORT KEY} -> {@code ok RELAY_TRUNK_PORT RELAY_INSIDE_PORT};
 * {@code release ID} -> {@code ok}; {@code drops} -> {@code ok N} (relay drops since start); {@code quit}.
 * {@code --ports LOW-HIGH} (default 30000-39999). With {@code --ha REDIS_URI} every call's state goes to Redis as an HA active writes it (issue #18); {@code ha} ->
 * {@code ok N writes, M failed}.
 */
public final class RelayServer {

    private RelayServer() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorServiceManager threads = new DefaultCamelContext().getExecutorServiceManager();
        java.util.List<String> options = java.util.List.of(args);
        int p = options.indexOf("--ports");
        String[] ports = (p >= 0 ? options.get(p + 1) : "30000-39999").split("-");
        MediaRelay relay = new MediaRelay(new MediaSettings(InetAddress.getLoopbackAddress(), Integer.parseInt(ports[0]),
                Integer.parseInt(ports[1]), Duration.ofSeconds(120)), threads);
        int h = options.indexOf("--ha");
        RelayStateWriter ha = h >= 0 ? new RelayStateWriter(options.get(h + 1), relay, threads) : null;
        SrtpBridge bridge = new SrtpBridge(MediaSecurity.REQUIRED, new SecureRandom());
        Map<String, MediaSession> sessions = new HashMap<>();
        long drops = 0;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        System.out.println("ready");
        System.out.flush();
        for (String line; (line = in.readLine()) != null;) {
            String[] w = line.trim().split(" ");
            switch (w[0]) {
                case "call" -> {
                    MediaSession s = relay.open(w[1]);
                    sessions.put(w[1], s);
                    SdpResult o = bridge.offer(s, Side.TRUNK, "application/sdp", RelayLoad.sdp(Integer.parseInt(w[2]),
                            "RTP/SAVP", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + w[4] + "\r\n"));
                    SdpResult a = bridge.answer(s, Side.INSIDE, "application/sdp",
                            RelayLoad.sdp(Integer.parseInt(w[3]), "RTP/AVP", ""));
                    if (!(o instanceof SdpResult.Offered) || !(a instanceof SdpResult.Answered)) {
                        System.out.println("err " + o + " " + a);
                    } else {
                        if (ha != null) {
                            ha.answered(w[1]);
                        }
                        System.out.println("ok " + s.relayAddress(Side.TRUNK).rtpPort() + " " + s.relayAddress(Side.INSIDE).rtpPort());
                    }
                }
                case "release" -> {
                    MediaSession s = sessions.remove(w[1]);
                    if (s != null) {
                        drops += s.counters(Side.TRUNK).drops() + s.counters(Side.INSIDE).drops();
                        s.release("BYE");
                        System.out.println("ok trunk->inside " + s.counters(Side.TRUNK) + "; inside->trunk " + s.counters(Side.INSIDE));
                    } else {
                        System.out.println("ok");
                    }
                }
                case "drops" -> System.out.println("ok " + drops);
                case "ha" -> System.out.println("ok " + (ha == null ? "HA off" : ha.counts()));
                case "quit" -> {
                    if (ha != null) {
                        ha.close();
                    }
                    relay.close();
                    System.out.println("ok");
                    return;
                }
                default -> System.out.println("err " + line);
            }
            System.out.flush();
        }
        relay.close();
    }
}
