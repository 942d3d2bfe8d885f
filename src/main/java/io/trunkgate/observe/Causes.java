package io.trunkgate.observe;

import java.util.Locale;

import io.netty.handler.ssl.SslHandshakeTimeoutException;

/**
 * The few words a metric's {@code cause} label may take, from the free text of a log line or an exception: labels
 * stay low-cardinality (never an address or a host name), the log line keeps the detail.
 */
final class Causes {

    private Causes() {
    }

    /**
     * Why a TLS handshake failed: transport_mismatch (TLS-2), timeout, revoked (CERT-9), expired (CERT-8), name
     * (CERT-5), unknown_ca (CERT-1..4), protocol (TLS-4), cipher (TLS-5), curve (TLS-6), peer_closed or other.
     */
    static String handshake(Throwable failure, boolean transportMismatch) {
        if (transportMismatch) {
            return "transport_mismatch";
        }
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return "timeout";
            }
            text.append(' ').append(t.getMessage());
        }
        String m = text.toString().toLowerCase(Locale.ROOT);
        if (m.contains("revoked") || m.contains("cert-9")) {
            return "revoked";
        }
        if (m.contains("expired") || m.contains("not yet valid") || m.contains("cert-8")) {
            return "expired";
        }
        if (m.contains("cert-5") || m.contains("cert-6") || m.contains("no subject alternative") || m.contains("hostname")
                || m.contains("does not match")) {
            return "name";
        }
        if (m.contains("unknown_ca") || m.contains("unknown ca") || m.contains("pkix") || m.contains("certification path")
                || m.contains("trust anchor") || m.contains("certificate_unknown") || m.contains("bad_certificate")
                || m.contains("cert-")) {
            return "unknown_ca";
        }
        if (m.contains("cipher")) {
            return "cipher";
        }
        if (m.contains("group") || m.contains("curve")) {
            return "curve";
        }
        if (m.contains("protocol") || m.contains("version")) {
            return "protocol";
        }
        if (m.contains("closed") || m.contains("eof") || m.contains("reset")) {
            return "peer_closed";
        }
        return "other";
    }

    /** Why a connection closed, from its close line (ConnectionWatch). */
    static String close(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.startsWith("peer closed")) {
            return "peer";
        }
        if (r.startsWith("idle")) {
            return "idle";
        }
        if (r.contains("pong")) {
            return "keepalive";
        }
        if (r.contains("options probe")) {
            return "probe_timeout";
        }
        if (r.contains("stopping")) {
            return "stopping";
        }
        if (r.contains("transport mismatch")) {
            return "transport_mismatch";
        }
        if (r.contains("handshake timeout")) {
            return "handshake_timeout";
        }
        if (r.contains("handshake failed")) {
            return "handshake_failed";
        }
        if (r.contains("trunkgate.listener.") || r.contains("per source") || r.contains("per-source")) {
            return "cap";
        }
        return "trunkgate";
    }

    /** Why a message did not parse: which part of it (the 400's Warning has the words). */
    static String parse(String cause) {
        String c = cause == null ? "" : cause.toLowerCase(Locale.ROOT);
        for (String header : new String[] {"via", "cseq", "call-id", "content-length", "max-forwards", "from", "to",
            "contact", "record-route", "route", "content-type"}) {
            if (c.contains(header)) {
                return header.replace('-', '_');
            }
        }
        if (c.contains("request line") || c.contains("status line") || c.contains("start line") || c.contains("request-uri")
                || c.contains("version") || c.contains("method")) {
            return "start_line";
        }
        if (c.contains("header")) {
            return "header";
        }
        return "other";
    }
}
