/**
 * The media step {@code srtpBridge} (SRTP-1, SRTP-2): every SDP of a call goes through the SDES negotiation of
 * {@code media.sdp} and points at a session of the relay in {@code media.relay}. Asks the proxy to end a call whose
 * answer it refuses ({@link io.trunkgate.flow.MediaRefusal}); sends no SIP itself. Uses {@code flow}, {@code sip},
 * {@code limits} (refused offers counted), {@code media.sdp} and {@code media.relay}.
 */
package io.trunkgate.media;

