package io.trunkgate.media.relay;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Per-call, per-direction counters (packets, bytes, drops by cause). Read from any thread. */
public final class StreamCounters {

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong receivedBytes = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong forwardedBytes = new AtomicLong();
    private final Map<DropCause, AtomicLong> drops = new EnumMap<>(DropCause.class);

    StreamCounters() {
        for (DropCause c : DropCause.values()) {
            drops.put(c, new AtomicLong());
        }
    }

    void received(int bytes) {
        received.incrementAndGet();
        receivedBytes.addAndGet(bytes);
    }

    void forwarded(int bytes) {
        forwarded.incrementAndGet();
        forwardedBytes.addAndGet(bytes);
    }

    void dropped(DropCause cause) {
        drops.get(cause).incrementAndGet();
    }

    /** Adds {@code other}'s counts to these (the relay's totals). */
    void add(StreamCounters other) {
        received.addAndGet(other.received());
        receivedBytes.addAndGet(other.receivedBytes());
        forwarded.addAndGet(other.forwarded());
        forwardedBytes.addAndGet(other.forwardedBytes());
        other.drops.forEach((cause, n) -> drops.get(cause).addAndGet(n.get()));
    }

    public long received() {
        return received.get();
    }

    public long receivedBytes() {
        return receivedBytes.get();
    }

    public long forwarded() {
        return forwarded.get();
    }

    public long forwardedBytes() {
        return forwardedBytes.get();
    }

    public long drops(DropCause cause) {
        return drops.get(cause).get();
    }

    public long drops() {
        return drops.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append("received=").append(received()).append('/').append(receivedBytes())
                .append("B forwarded=").append(forwarded()).append('/').append(forwardedBytes()).append("B drops={");
        String sep = "";
        for (Map.Entry<DropCause, AtomicLong> e : drops.entrySet()) {
            if (e.getValue().get() > 0) {
                sb.append(sep).append(e.getKey()).append('=').append(e.getValue().get());
                sep = ", ";
            }
        }
        return sb.append('}').toString();
    }
}
