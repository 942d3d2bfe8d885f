package io.trunkgate.transport;

import java.util.function.Supplier;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.trunkgate.config.Settings;
import io.trunkgate.limits.RefusalLog;
import org.apache.camel.CamelContext;
import org.apache.camel.component.netty.NettyComponent;

/**
 * The queue between the inside UDP socket's loop and its call flow ({@code usingExecutorService} in
 * routes/listeners.yaml): camel-netty's consumer executor group, each thread's queue bounded by
 * {@code trunkgate.overload.max-queued-messages}. A backlog waits here, where admission sees its delay
 * ({@code trunkgate.overload.max-queue-delay}) and sheds new calls, instead of in the kernel's socket buffer, where it
 * was invisible until the kernel dropped the responses of calls already up. Past the bound a message is dropped and
 * counted in the refusal log (and its metric), as the kernel would drop it, but in sight.
 */
public final class CallFlowQueue {

    static final String DROPPED = "SIP message dropped: call flow queue full (trunkgate.overload.max-queued-messages)";

    private CallFlowQueue() {
    }

    /** Gives camel-netty a bounded consumer executor group, unless the application gave it one of its own. */
    public static void install(CamelContext context, Settings settings, Supplier<RefusalLog> refusals) {
        NettyComponent netty = context.getComponent("netty", NettyComponent.class);
        if (netty == null || netty.getExecutorService() != null) {
            return;
        }
        int bound = settings.getInt("trunkgate.overload.max-queued-messages", 1);
        // threads start with their first task: one per channel that uses the group (the inside UDP listener)
        netty.setExecutorService(new DefaultEventExecutorGroup(Math.max(1, netty.getMaximumPoolSize()),
                new DefaultThreadFactory("trunkgate-call-flow", true), bound,
                (task, executor) -> {
                    if (task instanceof NettySipConnection.AfterReceived late) {
                        late.run(); // a resend behind a full queue: it goes now rather than never
                    } else {
                        refusals.get().refused(DROPPED, null);
                    }
                }));
    }
}
