package io.trunkgate.routing;

/** inbound: remote -> inside (arrived on the trunk side); outbound: inside -> remote (arrived from the PBX). */
public enum Direction {
    INBOUND, OUTBOUND;

    public String word() {
        return this == INBOUND ? "inbound" : "outbound";
    }
}
