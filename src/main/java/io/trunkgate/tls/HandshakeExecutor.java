package io.trunkgate.tls;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where SslHandlers run delegated handshake tasks (certificate checks, a cold CRL download awaited within
 * trunkgate.crl.timeout: CERT-9), so they never stall a Netty event loop. Plain threads, not a Netty executor:
 * the revocation step waits only off Netty's threads. Bounded; when full, the task runs on the caller (the event
 * loop), where the CRL lookup does not wait but uses the cache and fetches in the background.
 */
final class HandshakeExecutor {

    static final int THREADS = 8;
    static final int QUEUE = 1024;

    private HandshakeExecutor() {
    }

    static ThreadPoolExecutor create() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "trunkgate-tls-handshake-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true); // idle trunks keep no threads
        return pool;
    }
}
