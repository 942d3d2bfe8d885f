package io.trunkgate.admission;

import java.util.function.Supplier;

import gov.nist.javax.sip.message.SIPRequest;
import io.netty.channel.ChannelHandlerContext;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.sip.SipReplies;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;

/**
 * {@code admission}: the step that decides whether a new call is taken ({@link CallAdmission}), after trunkRoute
 * named its trunk; and, while the gateway drains, refuses OPTIONS too, so the remotes' probes move their calls
 * elsewhere. A refusal is 503 Service Unavailable with Retry-After and a Warning, through the request's server
 * transaction (a retransmission gets the same 503), counted in the refusal log, never logged one by one. In-dialog
 * requests, ACK and CANCEL pass untouched: calls already up are never refused.
 */
public class AdmissionProcessor implements Processor {

    private final Supplier<CallAdmission> admission;
    private final Supplier<RefusalLog> refusals;

    public AdmissionProcessor(Supplier<CallAdmission> admission, Supplier<RefusalLog> refusals) {
        this.admission = admission;
        this.refusals = refusals;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        if (!(in.getBody() instanceof SIPRequest request) || request.getToTag() != null) {
            return;
        }
        CallAdmission calls = admission.get();
        String method = request.getMethod();
        if (SIPRequest.OPTIONS.equals(method)) {
            if (calls.draining()) {
                refusals.get().refused("OPTIONS 503: draining", null);
                SipReplies.unavailable(exchange, calls.settings().retryAfter(),
                        "this gateway is shutting down and takes no new calls: try another");
            }
            return;
        }
        if (!SIPRequest.INVITE.equals(method)) {
            return;
        }
        String trunk = in.getHeader(TrunkgateConstants.TRUNK, String.class);
        ChannelHandlerContext ctx = in.getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class);
        CallAdmission.Refusal refusal = calls.admit(request.getCallId().getCallId(), trunk == null ? "" : trunk,
                ctx == null ? null : ctx.executor());
        if (refusal != null) {
            refusals.get().refused(refusal.kind(), refusal.detail());
            SipReplies.unavailable(exchange, calls.settings().retryAfter(), refusal.warning());
        }
    }
}
