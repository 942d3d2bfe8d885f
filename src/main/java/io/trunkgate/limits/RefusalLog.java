package io.trunkgate.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.trunkgate.flow.TrunkgateService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every refusal of the limits (a 503 for a call over a limit, a connection over a cap, a request of a blocked source
 * ...), counted by kind, and one log line per interval that summarises what was refused in it, with a few examples
 * of each kind: a flood refused message by message must not become a flood of log lines. The totals since start are
 * kept for metrics. The bean {@code refusals}, a service (its timer thread lives with the context).
 */
public class RefusalLog extends TrunkgateService {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);
    /** Examples kept per kind and interval: enough to name the culprit, bounded whatever the flood. */
    private static final int EXAMPLES = 3;
    /** Lines one interval may log one by one (first of a kind from a source); the rest are only summarised. */
    private static final int FIRSTS = 50;
    /** Kinds counted per interval and in total; beyond, refusals are counted under one kind: kinds come from peers' input. */
    private static final int KINDS = 200;
    private static final String OTHER_KINDS = "(other kinds)";

    private final Duration interval;
    private final ConcurrentMap<String, LongAdder> totals = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Recent> recent = new ConcurrentHashMap<>();
    /** The kind and source pairs logged one by one in this interval ({@link #first}); bounded whatever the flood. */
    private final java.util.Set<String> seen = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;

    /** The refusals of one kind since the last line: a count, and a few details with their own counts. */
    private static final class Recent {
        final AtomicLong count = new AtomicLong();
        final ConcurrentMap<String, AtomicLong> examples = new ConcurrentHashMap<>();
    }

    public RefusalLog(Duration interval) {
        this.interval = interval;
    }

    /**
     * One refusal. {@code kind} names what was refused and why, without variable parts (e.g. "INVITE 503: trunk
     * calls per second"); {@code detail} what varies (the trunk, the source address), kept as an example.
     */
    public void refused(String kind, String detail) {
        if (!totals.containsKey(kind) && totals.size() >= KINDS) {
            kind = OTHER_KINDS;
        }
        totals.computeIfAbsent(kind, k -> new LongAdder()).increment();
        Recent r = recent.computeIfAbsent(kind, k -> new Recent());
        r.count.incrementAndGet();
        if (detail != null) {
            AtomicLong n = r.examples.get(detail);
            if (n == null && r.examples.size() < EXAMPLES) {
                n = r.examples.computeIfAbsent(detail, d -> new AtomicLong());
            }
            if (n != null) {
                n.incrementAndGet();
            }
        }
    }

    /**
     * One refused message (a request answered with an error by the gateway itself, a message dropped, a connection
     * closed for what it sent), counted like {@link #refused} with its source as the detail. True when this kind from
     * this source is the first in the current interval: the caller then logs its one line; repeats are only counted,
     * and the interval's summary line gives their number per kind and source. So a peer sending bad messages by the
     * thousand costs a few lines per interval, not one each (issue #17: 41,636 WARN lines for 55,000 messages).
     */
    public boolean first(String kind, Object source) {
        String detail = String.valueOf(source);
        refused(kind, detail);
        return seen.size() < FIRSTS && seen.add(kind + "\n" + detail);
    }

    /** Refusals since start, by kind (for metrics). */
    public Map<String, Long> totals() {
        Map<String, Long> out = new LinkedHashMap<>();
        totals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The refusals since the last summary, as one line; null when there were none. Resets the interval. */
    public String summary() {
        seen.clear();
        List<String> parts = new ArrayList<>();
        for (String kind : List.copyOf(recent.keySet())) {
            Recent r = recent.remove(kind);
            if (r == null || r.count.get() == 0) {
                continue;
            }
            StringBuilder b = new StringBuilder().append(r.count.get()).append(" x ").append(kind);
            if (!r.examples.isEmpty()) {
                List<String> ex = new ArrayList<>();
                r.examples.entrySet().stream() // the most refused first
                        .sorted((x, y) -> x.getValue().get() != y.getValue().get()
                                ? Long.compare(y.getValue().get(), x.getValue().get()) : x.getKey().compareTo(y.getKey()))
                        .forEach(e -> ex.add(e.getKey() + (e.getValue().get() > 1 ? " (" + e.getValue().get() + ")" : "")));
                b.append(" [").append(String.join(", ", ex)).append(r.examples.size() >= EXAMPLES ? ", ..." : "").append(']');
            }
            parts.add(b.toString());
        }
        return parts.isEmpty() ? null : "refused in the last " + interval.toSeconds() + " s: " + String.join("; ", parts);
    }

    private void flush() {
        String line = summary();
        if (line != null) {
            LOG.warn(line);
        }
    }



    @Override
    protected void doStart() {
        timer = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "trunkgate-refusals");
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(this::flush, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(timer);
            timer = null;
        }
        flush();
    }
}
