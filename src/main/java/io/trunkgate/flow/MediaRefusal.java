package io.trunkgate.flow;

import gov.nist.javax.sip.message.SIPResponse;

/**
 * The media step's request to end a call whose 2xx carried SDP it refused (SRTP-1/SRTP-2), in the exchange property
 * {@link TrunkgateConstants#MEDIA_REFUSED}: the proxy sends the answerer an ACK and a BYE on the connection the 2xx
 * came in on, through its own transactions. The media step itself sends no SIP.
 *
 * @param answer the 2xx as it arrived (its Contact, Record-Route, tags and CSeq make the ACK and the BYE)
 * @param reason why, for the BYE's Reason header and the log
 */
public record MediaRefusal(SIPResponse answer, String reason) {
}
