package io.trunkgate.observe;

import java.util.Map;

import io.trunkgate.admission.CallAdmission;
import io.trunkgate.flow.TrunkgateBeans;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.netty.NettyEndpoint;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness: UP once every SIP listener (each netty route of routes/listeners.yaml) is bound and the context has
 * started its routes; DOWN before, and DOWN while the gateway drains (SIGTERM): a load balancer sends no new calls
 * to an instance that would refuse them with 503.
 */
final class ListenersCheck extends TrunkgateCheck {

    static final String ID = "trunkgate-listeners";

    ListenersCheck() {
        super(ID, true, false);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean up = getCamelContext().getStatus() == ServiceStatus.Started;
        int listeners = 0;
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getEndpoint() instanceof NettyEndpoint netty) {
                listeners++;
                ServiceStatus status = getCamelContext().getRouteController().getRouteStatus(route.getRouteId());
                builder.detail(route.getRouteId(), netty.getConfiguration().getProtocol() + " "
                        + netty.getConfiguration().getHost() + ":" + netty.getConfiguration().getPort() + " " + status);
                up &= status == ServiceStatus.Started;
            }
        }
        boolean draining = bean(TrunkgateBeans.CALL_ADMISSION, CallAdmission.class).map(CallAdmission::draining).orElse(false);
        builder.detail("draining", draining);
        if (listeners == 0) {
            builder.message("no SIP listener route").down();
        } else if (draining) {
            builder.message("draining (SIGTERM): new calls get 503, the calls in flight go on").down();
        } else if (!up) {
            builder.message("not every SIP listener is bound yet").down();
        } else {
            builder.message(listeners + " SIP listener(s) bound").up();
        }
    }
}
