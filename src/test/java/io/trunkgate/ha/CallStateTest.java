package io.trunkgate.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import io.trunkgate.media.relay.SessionState;
import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.Endpoint;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.sdp.MediaPlan;
import io.trunkgate.media.sdp.Mki;
import io.trunkgate.media.sdp.SrtpKeys;
import org.junit.jupiter.api.Test;

/** Issue #18 item 2: a call's state in Redis holds everything a standby restores, and reads back as it was written. */
class CallStateTest {

    static CallState sample(String callId) {
        SecureRandom random = new SecureRandom();
        MasterKey in = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_80, random);
        MasterKey out = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_80, random);
        MediaPlan plan = new MediaPlan(0,
                new Endpoint(new InetSocketAddress("127.0.0.1", 30000), new InetSocketAddress("127.0.0.1", 30001), false),
                new Endpoint(new InetSocketAddress("::1", 30002), null, true), new SrtpKeys(in, new Mki(7, 2), out));
        SessionState media = new SessionState(callId, 46400, 46402, plan,
                new SessionState.Latched(new InetSocketAddress("127.0.0.1", 30010), null), SessionState.Latched.NONE,
                Map.of(0x5EC0E2E1, (1L << 16) | 120), Map.of(-2, 49152L), Map.of(-2, 129L));
        CallState.Dialog dialog = new CallState.Dialog(callId, "carrier1", "pbx1",
                List.of("<sip:localhost:5061;transport=tls;lr>", "<sip:127.0.0.1:5060;transport=udp;lr>"), 1,
                "tls:127.0.0.1:40000", "udp:127.0.0.1:5070");
        return new CallState("test", dialog, media);
    }

    @Test
    void aCallsStateReadsBackAsItWasWritten() {
        CallState state = sample("ha-json-1@127.0.0.1");
        String json = state.toJson("tg-a");
        assertTrue(json.contains("\"writer\":\"tg-a\""), json);
        assertEquals(state, CallState.fromJson(json));
        assertEquals("trunkgate:call:ha-json-1@127.0.0.1", CallState.key("ha-json-1@127.0.0.1"));
    }

    @Test
    void aPlainRtpCallHasNoKeys() {
        CallState srtp = sample("ha-json-2");
        MediaPlan plain = new MediaPlan(0, srtp.media().plan().trunk(), srtp.media().plan().inside(), null);
        SessionState m = srtp.media();
        CallState state = new CallState("test", srtp.dialog(), new SessionState(m.callId(), m.trunkPort(), m.insidePort(),
                plain, m.trunk(), m.inside(), Map.of(), Map.of(), Map.of()));
        String json = state.toJson("tg-a");
        assertTrue(!json.contains("\"keys\""), json);
        assertEquals(state, CallState.fromJson(json));
    }

    @Test
    void anUnreadableStateIsRefusedWithItsCause() {
        assertThrows(IllegalArgumentException.class, () -> CallState.fromJson("{\"v\":99}"));
        assertThrows(IllegalArgumentException.class, () -> CallState.fromJson("not json"));
    }
}
