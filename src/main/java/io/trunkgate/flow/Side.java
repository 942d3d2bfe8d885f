package io.trunkgate.flow;

import org.apache.camel.Message;

/**
 * The two sides of the gateway: the secure trunk toward the remote (SIP over TLS, SRTP) and the inside toward the
 * PBX. Set once per message by the listener route ({@link TrunkgateConstants#SIDE}); the proxy, routing and media
 * steps all read this one value.
 */
public enum Side {
    TRUNK, INSIDE;

    public Side other() {
        return this == TRUNK ? INSIDE : TRUNK;
    }

    /**
     * The side of a message: its {@link TrunkgateConstants#SIDE} header (a {@code Side}, or the words trunk and inside
     * a user's YAML may set). A message that entered without one (a user's own route into direct:sip-in) is on the
     * trunk side when it came over TLS (TLS-1: the trunk is TLS only), else on the inside.
     */
    public static Side of(Message message) {
        Side side = message.getHeader(TrunkgateConstants.SIDE, Side.class);
        if (side != null) {
            return side;
        }
        return "tls".equalsIgnoreCase(message.getHeader(TrunkgateConstants.SOURCE_TRANSPORT, String.class)) ? TRUNK : INSIDE;
    }

    /** trunk or inside, for log lines. */
    public String word() {
        return this == TRUNK ? "trunk" : "inside";
    }
}
