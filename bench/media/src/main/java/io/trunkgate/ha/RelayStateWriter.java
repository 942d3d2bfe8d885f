package io.trunkgate.ha;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.trunkgate.config.Settings;
import io.trunkgate.media.relay.MediaRelay;
import io.trunkgate.media.relay.MediaSession;
import org.apache.camel.spi.ExecutorServiceManager;

/**
 * The HA call store wired to a bare relay for the relay benchmark (issue #18: the relay's packets per CPU-second with
 * HA on): the gateway's own {@link RedisLink} and {@link CallStore}, fed as {@code HaService} feeds them (every change
 * the relay reports, every release) and flushed by one thread every 20 ms. Each call is noted as answered once set
 * up, with a dialog of the size a real one has; the lease is left out (one command a second).
 */
public final class RelayStateWriter implements AutoCloseable {

    private final RedisLink redis;
    private final CallStore store;
    private final ScheduledExecutorService flusher;

    public RelayStateWriter(String redisUri, MediaRelay relay, ExecutorServiceManager threads) throws Exception {
        Map<String, String> keys = Map.of("trunkgate.ha.enabled", "true", "trunkgate.ha.redis-uri", redisUri,
                "trunkgate.ha.instance-id", "relay-bench");
        HaSettings settings = HaSettings.from(new Settings(k -> Optional.ofNullable(keys.get(k))));
        redis = new RedisLink(settings, threads);
        redis.connect().get(5, TimeUnit.SECONDS);
        store = new CallStore(redis, settings.instanceId(), callId -> Optional.ofNullable(relay.session(callId))
                .flatMap(MediaSession::snapshot));
        store.writing(true);
        relay.onChange(s -> store.changed(s.id()));
        relay.onRelease(s -> store.ended(s.id()));
        flusher = threads.newSingleThreadScheduledExecutor(this, "relay-bench-ha-store");
        flusher.scheduleWithFixedDelay(store::flush, 20, 20, TimeUnit.MILLISECONDS);
    }

    /** The call's 2xx went through: its state is written from now on. */
    public void answered(String callId) {
        store.answered("bench", new CallState.Dialog(callId, "from-" + callId, "to-" + callId,
                java.util.List.of("<sip:gw.example.com:5061;transport=tls;lr>", "<sip:127.0.0.1:5060;lr>"), 1,
                "tls:carrier.example.com:5061", "udp:127.0.0.1:5060"));
    }

    /** Call states written, and writes that failed. */
    public String counts() {
        return store.writes() + " writes, " + store.failedWrites() + " failed";
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        redis.close();
    }
}
