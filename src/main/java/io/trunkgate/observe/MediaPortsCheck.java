package io.trunkgate.observe;

import java.util.Map;

import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.media.relay.MediaRelayService;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness: the media relay's ports in use and free (trunkgate.media.port-range); DOWN when the range is exhausted
 * (fewer than the four ports a call takes are free): new calls would get 503 (SRTP-1).
 */
final class MediaPortsCheck extends TrunkgateCheck {

    static final String ID = "trunkgate-media";

    MediaPortsCheck() {
        super(ID, true, false);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        MediaRelayService relay = bean(TrunkgateBeans.MEDIA_RELAY, MediaRelayService.class).orElse(null);
        if (relay == null || !relay.running()) {
            builder.message("the media relay is not running").down();
            return;
        }
        int inUse = relay.relay().portsInUse();
        int free = (int) SipMeters.portsFree(relay);
        builder.detail("ports_in_use", inUse);
        builder.detail("ports_free", free);
        builder.detail("sessions", relay.relay().sessionCount());
        builder.detail("port_range", relay.settings().portMin() + "-" + relay.settings().portMax());
        if (free < 4) {
            builder.message("the media port range is exhausted: new calls get 503 (trunkgate.media.port-range)").down();
        } else {
            builder.message(free + " media ports free, " + inUse + " in use").up();
        }
    }
}
