package io.trunkgate.flow;

/**
 * What the call flow tells operations about, at a few named points (the bean {@code flowEvents}): every SIP message
 * received and sent, the stream connections and their TLS handshakes, and each call's start, answer and end. The
 * metrics, the HEP traces and the call detail records all listen here, so the call flow has one hook per point and
 * knows nothing of them.
 * <p>
 * Every method is called on the thread of the call flow (an event loop): it must return at once, never wait, never
 * throw. The default of each does nothing.
 */
public interface FlowEvents {

    /** Nothing listens. */
    FlowEvents NONE = new FlowEvents() {
    };

    /** A whole SIP message arrived on {@code from} (before parsing): now. */
    default void received(SipConnection from, byte[] message) {
    }

    /** A whole SIP message left on {@code to}: now. */
    default void sent(SipConnection to, byte[] message) {
    }

    /** A request was answered 400 (or a response dropped) because it did not parse; {@code cause} in words. */
    default void parseRefused(String cause) {
    }

    /** A TLS or TCP connection opened: {@code client} when we opened it (TLS-7's client role). */
    default void connectionOpened(Side side, boolean client) {
    }

    /** A TLS or TCP connection closed, {@code cause} as its close line says it. */
    default void connectionClosed(Side side, boolean client, String cause) {
    }

    /** A TLS handshake ended: {@code failure} null when it succeeded, else its cause in words. */
    default void handshake(boolean client, Throwable failure, boolean transportMismatch) {
    }

    /** A new call's INVITE is forwarded for the first time (after routing and admission). */
    default void callStarted(CallStart call) {
    }

    /** The call's INVITE failed at {@code failedHost} and goes to the trunk's next host (ROUTE-5). */
    default void callRetried(String callId, String failedHost, String nextHost) {
    }

    /**
     * A final response to the call's INVITE went to the caller: a 2xx ({@code trunkConnection}, when known, is the
     * trunk-side connection the call uses) or a failure, which ends the call.
     *
     * @param generated true when the gateway made the response itself (a timeout, an unreachable hop, a refusal)
     */
    default void callAnswered(String callId, int status, boolean cancelled, boolean generated, SipConnection trunkConnection) {
    }

    /**
     * An answered call ended: its BYE, from {@code by}, was answered; or {@code by} is null and {@code how} says why
     * the gateway ended it (media timeout, dialog swept).
     */
    default void callEnded(String callId, Side by, String how) {
    }
}
