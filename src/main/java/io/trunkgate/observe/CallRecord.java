package io.trunkgate.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.trunkgate.flow.CallStart;
import io.trunkgate.flow.Side;
import io.trunkgate.media.relay.DropCause;
import io.trunkgate.media.relay.MediaSession;
import io.trunkgate.media.relay.StreamCounters;
import org.apache.camel.util.json.JsonObject;

/**
 * One call from its INVITE to its end, as the call detail record tells it (docs/operations.md, "Call detail
 * records"). Filled on the call flow's threads; read by the CDR hand-off once the call ended.
 */
final class CallRecord {

    final CallStart start;
    final List<String> failedOver = new ArrayList<>(2);
    volatile String remoteHost;
    volatile int finalStatus;
    volatile long answerMillis;
    volatile long endMillis;
    volatile String endedBy;
    volatile String endReason;
    volatile String tlsPeer;
    volatile String tlsCipher;
    volatile MediaSession media;

    CallRecord(CallStart start) {
        this.start = start;
        this.remoteHost = start.remoteHost();
    }

    boolean answered() {
        return finalStatus >= 200 && finalStatus < 300;
    }

    /** The record as JSON fields, in the order docs/operations.md lists them. */
    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.put("call_id", start.callId());
        o.put("trunk", start.trunk());
        o.put("direction", start.direction());
        o.put("from", start.from());
        o.put("to", start.to());
        o.put("request_uri_host", start.requestUriHost());
        o.put("remote_host", remoteHost);
        synchronized (failedOver) {
            o.put("failed_over", new ArrayList<>(failedOver));
        }
        o.put("start", iso(start.startMillis()));
        o.put("answer", answerMillis == 0 ? null : iso(answerMillis));
        o.put("end", iso(endMillis));
        o.put("duration_seconds", answerMillis == 0 ? 0.0 : Math.max(0, endMillis - answerMillis) / 1000.0);
        o.put("final_status", finalStatus);
        o.put("ended_by", endedBy);
        o.put("end_reason", endReason);
        o.put("tls_peer", tlsPeer);
        o.put("tls_cipher", tlsCipher);
        MediaSession m = media;
        o.put("srtp_suite", m == null ? null : m.plan().map(p -> p.trunkKeys() == null ? null
                : p.trunkKeys().outbound().suite().sdpName()).orElse(null));
        if (m != null) {
            JsonObject media = new JsonObject();
            media.put("trunk_to_inside", stream(m.counters(Side.TRUNK)));
            media.put("inside_to_trunk", stream(m.counters(Side.INSIDE)));
            o.put("media", media);
        }
        return o;
    }

    /** The second last formatted, without its "Z": the times of a call, and of calls ending together, share it. */
    private record Second(long epochSecond, String prefix) {
    }

    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    /**
     * {@code Instant.ofEpochMilli(millis).toString()} (ISO-8601 UTC, milliseconds when not 0), formatting the date and
     * time once per second: {@code Instant.toString} cost ~0.5 KB a time, three times a call, on the CDR thread.
     */
    static String iso(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        Second s = lastSecond;
        if (s.epochSecond() != second) {
            String full = Instant.ofEpochSecond(second).toString();
            s = new Second(second, full.substring(0, full.length() - 1));
            lastSecond = s;
        }
        return millis == 0 ? s.prefix() + "Z"
                : s.prefix() + "." + (char) ('0' + millis / 100) + (char) ('0' + millis / 10 % 10) + (char) ('0' + millis % 10) + "Z";
    }

    private static JsonObject stream(StreamCounters c) {
        JsonObject s = new JsonObject();
        s.put("packets", c.forwarded());
        s.put("bytes", c.forwardedBytes());
        JsonObject drops = new JsonObject();
        for (DropCause cause : DropCause.values()) {
            if (c.drops(cause) > 0) {
                drops.put(cause.name().toLowerCase(Locale.ROOT), c.drops(cause));
            }
        }
        s.put("drops", drops);
        return s;
    }
}
