package io.trunkgate.media.sdp;

import io.trunkgate.flow.Side;

/**
 * The outcome of one offer/answer exchange for the relayed stream: each side's declared endpoint and,
 * when the trunk leg is SRTP, its keys. {@code mediaIndex} is the relayed m-line, -1 when the answer
 * disabled it (nothing to relay). {@code trunkKeys} null means plain RTP on the trunk leg.
 */
public record MediaPlan(int mediaIndex, Endpoint trunk, Endpoint inside, SrtpKeys trunkKeys) {

    public boolean relayed() {
        return mediaIndex >= 0;
    }

    public Endpoint endpoint(Side side) {
        return side == Side.TRUNK ? trunk : inside;
    }
}
