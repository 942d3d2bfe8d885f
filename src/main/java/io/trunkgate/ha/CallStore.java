package io.trunkgate.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.trunkgate.media.relay.SessionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active's copy of every live call in Redis ({@code trunkgate:call:<Call-ID>}, {@link CallState}, expiring after
 * {@link HaSettings#CALL_TTL}, refreshed by every write). The call flow and the media loops only take note
 * ({@link #answered}, {@link #changed}, {@link #ended}: a set insertion, never a Redis command, never a wait); the
 * store's own thread writes the notes out every few milliseconds, asynchronously. A failed write is counted and not
 * retried: when Redis is back every live call is written again ({@link #resync}); a failed delete waits for that too.
 */
final class CallStore {

    private static final Logger LOG = LoggerFactory.getLogger(CallStore.class);
    /** Deletes kept for Redis's return at most: past it the keys expire by themselves (12 h) or are restored and timed out. */
    private static final int MAX_PENDING_DELETES = 100_000;

    /** A live call: its trunk and dialog; the media part is read from the session at each write. */
    record Live(String trunk, CallState.Dialog dialog) {
    }

    private final RedisLink redis;
    private final String instanceId;
    private final Function<String, Optional<SessionState>> media;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private volatile boolean writing;

    /** @param media a call's media session as a standby needs it (empty once released) */
    CallStore(RedisLink redis, String instanceId, Function<String, Optional<SessionState>> media) {
        this.redis = redis;
        this.instanceId = instanceId;
        this.media = media;
    }

    // ---------------------------------------------------------------- notes (any thread, never waits)

    /** A call's initial INVITE was answered (2xx): it is written from now on. */
    void answered(String trunk, CallState.Dialog dialog) {
        if (!writing) {
            return;
        }
        live.put(dialog.callId(), new Live(trunk, dialog));
        ended.remove(dialog.callId());
        dirty.add(dialog.callId());
    }

    /** A live call's state changed (re-INVITE or UPDATE answered, a latch moved, a rollover count published). */
    void changed(String callId) {
        if (writing && live.containsKey(callId)) {
            dirty.add(callId);
        }
    }

    /** A call ended (BYE, CANCEL, its media released): its key is deleted. */
    void ended(String callId) {
        if (writing && live.remove(callId) != null) {
            dirty.remove(callId);
            ended.add(callId);
        }
    }

    boolean knows(String callId) {
        return live.containsKey(callId);
    }

    // ---------------------------------------------------------------- the store's thread

    /** Starts (active) or stops (standby, stopping) writing; stopping forgets every note. */
    void writing(boolean on) {
        writing = on;
        if (!on) {
            live.clear();
            dirty.clear();
            ended.clear();
        }
    }

    /** Writes out the notes taken since the last flush. Runs on the store's thread; never waits for Redis. */
    void flush() {
        if (!writing) {
            return;
        }
        for (String callId : List.copyOf(ended)) {
            ended.remove(callId);
            redis.run(c -> c.del(CallState.key(callId))).whenComplete((n, e) -> {
                if (e != null) {
                    failedWrites.incrementAndGet();
                    if (writing && ended.size() < MAX_PENDING_DELETES && !live.containsKey(callId)) {
                        ended.add(callId); // deleted again when Redis is back
                    }
                }
            });
        }
        for (String callId : List.copyOf(dirty)) {
            dirty.remove(callId);
            Live call = live.get(callId);
            Optional<SessionState> session = call == null ? Optional.empty() : media.apply(callId);
            if (session.isEmpty()) {
                continue; // ended meanwhile, or not answered on the media side yet
            }
            String json = new CallState(call.trunk(), call.dialog(), session.get()).toJson(instanceId);
            redis.run(c -> c.setex(CallState.key(callId), HaSettings.CALL_TTL.toSeconds(), json)).whenComplete((ok, e) -> {
                if (e != null) {
                    failedWrites.incrementAndGet();
                } else {
                    writes.incrementAndGet();
                }
            });
        }
    }

    /** Redis is back after failures: every live call is written again (failed deletes are retried by the flush). */
    void resync() {
        if (!writing) {
            return;
        }
        dirty.addAll(live.keySet());
        resyncs.incrementAndGet();
        LOG.info("HA: Redis reachable again at {}: writing the state of {} live call(s) again", redis.uri(), live.size());
    }

    /** Every call Redis holds (a takeover). On the HA thread: waits for Redis, bounded per command. */
    List<CallState> loadAll() throws Exception {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs match = ScanArgs.Builder.matches(CallState.KEY_PREFIX + "*").limit(1000);
        do {
            ScanCursor from = cursor;
            KeyScanCursor<String> page = redis.await(c -> c.scan(from, match));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        List<CallState> calls = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += 200) {
            String[] batch = keys.subList(i, Math.min(keys.size(), i + 200)).toArray(String[]::new);
            List<KeyValue<String, String>> values = redis.await(c -> c.mget(batch));
            for (KeyValue<String, String> kv : values) {
                if (!kv.hasValue()) {
                    continue; // ended (deleted) meanwhile
                }
                try {
                    calls.add(CallState.fromJson(kv.getValue()));
                } catch (RuntimeException e) {
                    LOG.warn("HA: the state of {} in Redis cannot be read, call not taken over: {}", kv.getKey(), e.getMessage());
                }
            }
        }
        return calls;
    }

    /** A call taken over: live here from now on (written on its next change). */
    void adopt(CallState call) {
        live.put(call.dialog().callId(), new Live(call.trunk(), call.dialog()));
    }

    /** Deletes a call's key at once (a call that could not be taken over), without waiting. */
    void drop(String callId) {
        redis.run(c -> c.del(CallState.key(callId)));
    }

    int liveCalls() {
        return live.size();
    }

    long writes() {
        return writes.get();
    }

    long failedWrites() {
        return failedWrites.get();
    }

    long resyncs() {
        return resyncs.get();
    }
}
