package io.trunkgate.media;

/** The two legs of a bridged call: the secure trunk (SRTP, SRTP-1) and the inside (plain RTP toward the PBX). */
public enum Side {
    TRUNK, INSIDE;

    public Side other() {
        return this == TRUNK ? INSIDE : TRUNK;
    }
}
