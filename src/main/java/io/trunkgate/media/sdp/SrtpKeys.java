package io.trunkgate.media.sdp;

/**
 * The trunk leg's SRTP keys after offer/answer: {@code inbound} is the remote's key from its a=crypto
 * line (with its MKI, or null), {@code outbound} is ours from SecureRandom.
 */
public record SrtpKeys(MasterKey inbound, Mki inboundMki, MasterKey outbound) {
}
