package io.trunkgate.observe;

import java.util.function.Supplier;

import io.trunkgate.flow.FlowEvents;
import io.trunkgate.flow.SipConnection;
import io.trunkgate.flow.TrunkgateConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The step {@code sipTrace}, first of {@code direct:sip-in}: every message received, from any listener or
 * outbound connection, told to {@code flowEvents} before anything may drop it (the metrics count it, the HEP
 * receiver gets its copy). What is sent is told by the connections themselves.
 */
public class SipTraceProcessor implements Processor {

    private final Supplier<FlowEvents> events;

    public SipTraceProcessor(Supplier<FlowEvents> events) {
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        SipConnection from = exchange.getIn().getHeader(TrunkgateConstants.CONNECTION, SipConnection.class);
        if (from != null && exchange.getIn().getBody() instanceof byte[] message) {
            events.get().received(from, message);
        }
    }
}
