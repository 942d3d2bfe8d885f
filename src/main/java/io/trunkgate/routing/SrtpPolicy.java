package io.trunkgate.routing;

/** media.srtp of a trunk (SRTP-2): read by the media step. */
public enum SrtpPolicy {
    REQUIRED, OPTIONAL, OFF
}
