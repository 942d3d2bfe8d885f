package io.trunkgate.transport;

import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.trunkgate.flow.FlowEvents;

/**
 * The {@link FlowEvents} of a channel, kept on it by whoever built its pipeline (the listeners' initializer, our
 * outbound connections): the connection's handlers and its {@link NettySipConnection} tell them what they see, for
 * the gateway that owns the channel (several may run in one JVM).
 */
public final class FlowTap {

    private static final AttributeKey<Supplier<FlowEvents>> KEY = AttributeKey.valueOf("trunkgate.flowEvents");

    private FlowTap() {
    }

    /** Keeps {@code events} on {@code channel}; null leaves it without. */
    static void attach(Channel channel, Supplier<FlowEvents> events) {
        if (events != null) {
            channel.attr(KEY).set(events);
        }
    }

    /** The events of {@code channel}, or {@link FlowEvents#NONE}. */
    static FlowEvents of(Channel channel) {
        Supplier<FlowEvents> s = channel.attr(KEY).get();
        if (s == null && channel.parent() != null) {
            s = channel.parent().attr(KEY).get();
        }
        FlowEvents events = s == null ? null : s.get();
        return events == null ? FlowEvents.NONE : events;
    }
}
