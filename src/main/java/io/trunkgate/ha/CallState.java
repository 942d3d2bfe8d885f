package io.trunkgate.ha;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.trunkgate.media.relay.SessionState;
import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.Endpoint;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.sdp.MediaPlan;
import io.trunkgate.media.sdp.Mki;
import io.trunkgate.media.sdp.SrtpKeys;
import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.Jsoner;

/**
 * One call as Redis keeps it under {@code trunkgate:call:<Call-ID>}: its dialog and its media session, as JSON
 * (camel-util-json, already on the class path through camel-support). Holds the SRTP master keys and salts of the
 * call in clear: who can read Redis can decrypt the call's media (docs/high-availability.md, Redis security).
 *
 * @param trunk  the trunk whose media.srtp applies (SRTP-2)
 * @param dialog the dialog as its initial INVITE's 2xx set it up
 * @param media  the media session (ports, answer, latched addresses, rollover counts)
 */
record CallState(String trunk, Dialog dialog, SessionState media) {

    static final String KEY_PREFIX = "trunkgate:call:";
    static final int VERSION = 1;

    /**
     * The dialog: Call-ID, tags, route set (the Record-Route of the 2xx, in its order), the INVITE's CSeq, and each
     * leg's transport and remote address ({@code tls:host:port}; the trunk leg's connection is opened again by
     * whichever side needs it after a failover).
     */
    record Dialog(String callId, String fromTag, String toTag, List<String> routeSet, long cseq, String trunkLeg,
            String insideLeg) {
        Dialog {
            routeSet = List.copyOf(routeSet);
        }
    }

    static String key(String callId) {
        return KEY_PREFIX + callId;
    }

    String toJson(String instanceId) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("v", VERSION);
        root.put("callId", dialog.callId());
        root.put("trunk", trunk);
        root.put("writer", instanceId);
        root.put("written", System.currentTimeMillis());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("fromTag", dialog.fromTag());
        d.put("toTag", dialog.toTag());
        d.put("routeSet", new ArrayList<>(dialog.routeSet()));
        d.put("cseq", dialog.cseq());
        d.put("trunkLeg", dialog.trunkLeg());
        d.put("insideLeg", dialog.insideLeg());
        root.put("dialog", d);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trunkPort", media.trunkPort());
        m.put("insidePort", media.insidePort());
        MediaPlan plan = media.plan();
        m.put("mediaIndex", plan.mediaIndex());
        m.put("trunkEndpoint", endpoint(plan.trunk()));
        m.put("insideEndpoint", endpoint(plan.inside()));
        SrtpKeys keys = plan.trunkKeys();
        if (keys != null) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("in", key(keys.inbound()));
            if (keys.inboundMki() != null) {
                k.put("inMki", keys.inboundMki().value() + ":" + keys.inboundMki().length());
            }
            k.put("out", key(keys.outbound()));
            m.put("keys", k);
        }
        Map<String, Object> latched = new LinkedHashMap<>();
        latched.put("trunkRtp", address(media.trunk().rtp()));
        latched.put("trunkRtcp", address(media.trunk().rtcp()));
        latched.put("insideRtp", address(media.inside().rtp()));
        latched.put("insideRtcp", address(media.inside().rtcp()));
        m.put("latched", latched);
        m.put("inbound", counts(media.inbound()));
        m.put("outbound", counts(media.outbound()));
        m.put("outboundRtcp", counts(media.outboundRtcp()));
        root.put("media", m);
        return Jsoner.serialize(root);
    }

    @SuppressWarnings("unchecked")
    static CallState fromJson(String json) {
        Map<String, Object> root;
        try {
            root = (Map<String, Object>) Jsoner.deserialize(json);
        } catch (DeserializationException | ClassCastException e) {
            throw new IllegalArgumentException("not a call state: " + e.getMessage());
        }
        if (number(root, "v").intValue() != VERSION) {
            throw new IllegalArgumentException("call state version " + root.get("v") + ", this instance reads " + VERSION);
        }
        String callId = (String) root.get("callId");
        Map<String, Object> d = (Map<String, Object>) root.get("dialog");
        List<String> routeSet = new ArrayList<>();
        for (Object r : (List<Object>) d.get("routeSet")) {
            routeSet.add((String) r);
        }
        Dialog dialog = new Dialog(callId, (String) d.get("fromTag"), (String) d.get("toTag"), routeSet,
                number(d, "cseq").longValue(), (String) d.get("trunkLeg"), (String) d.get("insideLeg"));
        Map<String, Object> m = (Map<String, Object>) root.get("media");
        SrtpKeys keys = null;
        Map<String, Object> k = (Map<String, Object>) m.get("keys");
        if (k != null) {
            Mki mki = null;
            if (k.get("inMki") != null) {
                String[] parts = ((String) k.get("inMki")).split(":");
                mki = new Mki(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
            }
            keys = new SrtpKeys(masterKey((String) k.get("in")), mki, masterKey((String) k.get("out")));
        }
        MediaPlan plan = new MediaPlan(number(m, "mediaIndex").intValue(), endpoint((Map<String, Object>) m.get("trunkEndpoint")),
                endpoint((Map<String, Object>) m.get("insideEndpoint")), keys);
        Map<String, Object> latched = (Map<String, Object>) m.get("latched");
        SessionState media = new SessionState(callId, number(m, "trunkPort").intValue(), number(m, "insidePort").intValue(),
                plan, new SessionState.Latched(address((String) latched.get("trunkRtp")), address((String) latched.get("trunkRtcp"))),
                new SessionState.Latched(address((String) latched.get("insideRtp")), address((String) latched.get("insideRtcp"))),
                readCounts((Map<String, Object>) m.get("inbound")), readCounts((Map<String, Object>) m.get("outbound")),
                readCounts((Map<String, Object>) m.get("outboundRtcp")));
        return new CallState((String) root.get("trunk"), dialog, media);
    }

    // ---------------------------------------------------------------- parts

    private static Number number(Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("call state: " + key + " is not a number: " + v);
    }

    private static Map<String, Object> endpoint(Endpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rtp", address(e.rtp()));
        m.put("rtcp", address(e.rtcp()));
        m.put("mux", e.rtcpMux());
        return m;
    }

    private static Endpoint endpoint(Map<String, Object> m) {
        return new Endpoint(address((String) m.get("rtp")), address((String) m.get("rtcp")), Boolean.TRUE.equals(m.get("mux")));
    }

    private static String key(MasterKey key) {
        return key.suite().name() + " " + key.inline();
    }

    private static MasterKey masterKey(String value) {
        String[] parts = value.split(" ");
        CryptoSuite suite = CryptoSuite.valueOf(parts[0]);
        return MasterKey.fromKeySalt(suite, Base64.getDecoder().decode(parts[1]));
    }

    static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    static InetSocketAddress address(String s) {
        if (s == null) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        String host = s.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(s.substring(colon + 1))); // literal addresses: no lookup
    }

    private static Map<String, Object> counts(Map<Integer, Long> counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        counts.forEach((ssrc, index) -> m.put(Long.toString(ssrc & 0xffffffffL), index));
        return m;
    }

    private static Map<Integer, Long> readCounts(Map<String, Object> m) {
        Map<Integer, Long> counts = new HashMap<>();
        if (m != null) {
            m.forEach((ssrc, index) -> counts.put((int) Long.parseLong(ssrc), ((Number) index).longValue()));
        }
        return counts;
    }
}
