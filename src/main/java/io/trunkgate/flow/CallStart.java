package io.trunkgate.flow;

/**
 * A call as it starts: what routing decided for its first INVITE ({@link FlowEvents#callStarted}).
 *
 * @param callId         the Call-ID
 * @param trunk          the trunk id (trunks.yaml)
 * @param direction      {@code inbound} (remote to inside) or {@code outbound}
 * @param callerSide     the side the INVITE arrived on
 * @param from           the From user part (the calling number)
 * @param to             the dialled number (the Request-URI user part)
 * @param requestUriHost the Request-URI host as received
 * @param remoteHost     the remote host: the proxy we send an outbound call to, the source address of an inbound one
 * @param startMillis    when the INVITE arrived (epoch ms)
 * @param startNanos     the same, on {@link System#nanoTime()} (set-up time)
 */
public record CallStart(String callId, String trunk, String direction, Side callerSide, String from, String to,
        String requestUriHost, String remoteHost, long startMillis, long startNanos) {
}
