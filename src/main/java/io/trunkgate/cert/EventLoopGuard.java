package io.trunkgate.cert;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.ThreadExecutorMap;

/**
 * Tells whether the current thread is one of Netty's executor threads. A trust manager called by an SslHandler may
 * run there (Netty runs delegated handshake tasks inline by default); blocking it on a CRL download would stall every
 * connection of that loop, so the revocation step then uses only the cache and fetches in the background.
 */
final class EventLoopGuard {

    private EventLoopGuard() {
    }

    static boolean onEventLoop() {
        return ThreadExecutorMap.currentExecutor() != null || Thread.currentThread() instanceof FastThreadLocalThread;
    }
}
