package io.trunkgate.media.sdp;


/** What {@link SdesNegotiator} (and the media step's SrtpBridge) hand back for one SDP body. */
public sealed interface SdpResult {

    /** An offer rewritten for the other side; keep {@code pending} for the answer. Same Content-Type as the input. */
    record Offered(byte[] body, PendingOffer pending) implements SdpResult {
    }

    /** An answer rewritten for the other side (the offerer); {@code plan} says what to relay and with which keys. */
    record Answered(byte[] body, MediaPlan plan) implements SdpResult {
    }

    /**
     * Refused. For an offer, reply {@code status} (488 Not Acceptable Here) with {@code reason} (it names
     * SRTP-1/SRTP-2 where the rule comes from the spec); for an answer, the session cannot be set up and
     * the call is to be torn down.
     */
    record Rejected(int status, String reason) implements SdpResult {
        public static final int NOT_ACCEPTABLE_HERE = 488;

        public static Rejected because(String reason) {
            return new Rejected(NOT_ACCEPTABLE_HERE, reason);
        }
    }
}
