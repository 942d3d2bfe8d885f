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

    private final Duration interval;
    private final ConcurrentMap<String, LongAdder> totals = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Recent> recent = new ConcurrentHashMap<>();
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

    /** Refusals since start, by kind (for metrics). */
    public Map<String, Long> totals() {
        Map<String, Long> out = new LinkedHashMap<>();
        totals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The refusals since the last summary, as one line; null when there were none. Resets the interval. */
    public String summary() {
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
