package io.trunkgate.tls;

import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

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

    /** The pool's profile for Camel's ExecutorServiceManager: idle trunks keep no threads. */
    static ThreadPoolProfile profile() {
        ThreadPoolProfile p = new ThreadPoolProfile("trunkgate-tls-handshake");
        p.setPoolSize(THREADS);
        p.setMaxPoolSize(THREADS);
        p.setMaxQueueSize(QUEUE);
        p.setKeepAliveTime(60L);
        p.setAllowCoreThreadTimeOut(true);
        p.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
        return p;
    }
}
