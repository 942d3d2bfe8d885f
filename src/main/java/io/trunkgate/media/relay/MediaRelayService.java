package io.trunkgate.media.relay;

import java.util.function.Consumer;

import io.trunkgate.flow.TrunkgateService;
import org.apache.camel.util.ObjectHelper;

/**
 * The {@link MediaRelay} as a Camel service: its sockets, event loops and timeout sweeper exist only between the
 * context's start and stop, so a stopped gateway holds no media port.
 */
public final class MediaRelayService extends TrunkgateService {

    private final MediaSettings settings;
    private volatile MediaRelay relay;
    private final java.util.List<Consumer<MediaSession>> releaseListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Consumer<MediaSession> changeListener = s -> { };

    public MediaRelayService(MediaSettings settings) {
        this.settings = settings;
    }

    public MediaSettings settings() {
        return settings;
    }

    /** True between start and stop (health and metrics read the relay only then). */
    public boolean running() {
        return relay != null;
    }

    /** The running relay. @throws IllegalStateException when the service is not started */
    public MediaRelay relay() {
        MediaRelay r = relay;
        if (r == null) {
            throw new IllegalStateException("the media relay is not started");
        }
        return r;
    }

    /** See {@link MediaRelay#onRelease}; kept across restarts of the service. */
    public void onRelease(Consumer<MediaSession> listener) {
        if (!releaseListeners.contains(listener)) {
            releaseListeners.add(listener);
        }
        MediaRelay r = relay;
        if (r != null) {
            r.onRelease(listener);
        }
    }

    /** See {@link MediaRelay#onChange}; kept across restarts of the service. */
    public void onChange(Consumer<MediaSession> listener) {
        changeListener = listener;
        MediaRelay r = relay;
        if (r != null) {
            r.onChange(listener);
        }
    }



    @Override
    protected void doStart() {
        MediaRelay r = new MediaRelay(settings, ObjectHelper.notNull(getCamelContext(), "camelContext").getExecutorServiceManager());
        releaseListeners.forEach(r::onRelease);
        r.onChange(changeListener);
        relay = r;
    }

    @Override
    protected void doStop() {
        MediaRelay r = relay;
        relay = null;
        if (r != null) {
            r.close(); // releases every session: ports free before the context reports stopped
        }
    }
}
