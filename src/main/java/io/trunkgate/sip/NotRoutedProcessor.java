package io.trunkgate.sip;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sipNotRouted}: the end of the flow for a message no step took: a request is answered
 * {@code 501 Not Implemented} with a Warning (never left to time out), a response is dropped and logged.
 */
public class NotRoutedProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(NotRoutedProcessor.class);

    @Override
    public void process(Exchange exchange) {
        String method = exchange.getIn().getHeader(TrunkgateHeaders.SIP_METHOD, String.class);
        Object source = exchange.getIn().getHeader(TrunkgateHeaders.SOURCE_ADDRESS);
        if ("request".equals(exchange.getIn().getHeader(TrunkgateHeaders.SIP_KIND))) {
            if (!"ACK".equals(method)) {
                SipReplies.reply(exchange, 501, "Not Implemented", "no route handles " + method + " requests here");
            }
            LOG.info("{} from {} not routed: answered 501", method, source);
        } else {
            LOG.info("dropped a {} response from {}: no transaction matches it", method, source);
            exchange.setRouteStop(true);
        }
    }
}
