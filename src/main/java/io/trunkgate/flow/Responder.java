package io.trunkgate.flow;

import gov.nist.javax.sip.message.SIPResponse;

/** Sends a response to the exchange's request through its server transaction ({@link TrunkgateConstants#RESPONDER}). */
@FunctionalInterface
public interface Responder {

    void respond(SIPResponse response);
}
