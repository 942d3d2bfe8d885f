package io.trunkgate.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;

/**
 * The OPTIONS request a probe sends to a remote host (RFC 3261 11): out of any dialog, to the host itself, from our
 * trunk-side name (the host name our certificate carries, CERT-7), a Call-ID of its own per probe.
 */
final class OptionsProbe {

    private OptionsProbe() {
    }

    static byte[] request(ProxyConfig config, NextHop hop, String branch) {
        String transport = hop.transport().toUpperCase(Locale.ROOT);
        String target = "sip:" + hop.host() + ":" + hop.port() + ";transport=" + hop.transport();
        String host = hop.side() == Side.TRUNK ? config.trunkHost() : config.insideHost();
        int port = hop.side() == Side.TRUNK ? config.trunkPort() : config.insidePort();
        long random = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        String text = "OPTIONS " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " " + host + ":" + port + ";branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:trunkgate@" + host + ">;tag=" + Long.toString(random, 36) + "\r\n"
                + "To: <" + target + ">\r\n"
                + "Call-ID: probe-" + Long.toString(random ^ System.nanoTime(), 36) + "@" + host + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Accept: application/sdp\r\n"
                + "Content-Length: 0\r\n\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
