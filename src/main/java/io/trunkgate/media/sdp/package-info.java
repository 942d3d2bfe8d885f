/**
 * SDP offer/answer with SDES keys (RFC 4568, SRTP-1): parsing and rewriting bodies (also in multipart), crypto
 * suites, master keys, the plan of a negotiated session. Pure: no sockets, no threads. Uses {@code flow}, and {@code sip} to keep JAIN-SIP's
 * console output off the console.
 */
package io.trunkgate.media.sdp;

