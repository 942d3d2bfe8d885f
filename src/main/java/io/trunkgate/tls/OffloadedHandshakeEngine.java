package io.trunkgate.tls;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * Makes the handshake's inbound processing - where the peer's certificate is checked, CRL download included (CERT-9) -
 * a delegated task, so an SslHandler given a plain executor runs it off the Netty event loop.
 * <p>
 * Why a wrapper: Bouncy Castle's engine (bctls 1.84) never hands out delegated tasks ({@code getDelegatedTask()}
 * returns null); it calls the trust manager inside {@code unwrap()}, i.e. on whatever thread unwraps. So during the
 * handshake this engine takes each record Netty passes to {@code unwrap()}, reports it consumed with
 * {@code NEED_TASK}, and unwraps it in the task; application data the task decrypts is returned by the next
 * {@code unwrap()}, an error is thrown by it. After the handshake every call goes straight to the inner engine.
 * While a task runs, nothing on the event loop touches the inner engine (its methods are synchronized and would
 * block until the task ends): status queries answer NEED_TASK, closes are applied when the task ends.
 */
public final class OffloadedHandshakeEngine extends SSLEngine {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine inner;
    private final Object lock = new Object();
    // all below guarded by lock; buffers are in read mode
    private ByteBuffer pendingIn = EMPTY;
    private ByteBuffer pendingOut = EMPTY;
    private boolean taskQueued;
    private boolean taskRunning;
    private SSLException failure;
    private boolean closeInboundLater;
    private boolean closeOutboundLater;
    private volatile boolean handshakeDone;

    private OffloadedHandshakeEngine(SSLEngine inner) {
        super(inner.getPeerHost(), inner.getPeerPort());
        this.inner = inner;
    }

    /**
     * {@code engine} wrapped when it will check a peer certificate (client mode, or a server asking for a client
     * certificate); otherwise unchanged, so one-way TLS servers keep their handshake on the event loop.
     */
    public static SSLEngine of(SSLEngine engine) {
        boolean checksPeer = engine.getUseClientMode() || engine.getNeedClientAuth() || engine.getWantClientAuth();
        return checksPeer && !(engine instanceof OffloadedHandshakeEngine) ? new OffloadedHandshakeEngine(engine) : engine;
    }

    /** True until the inner engine reported the handshake FINISHED: until then unwraps are delegated tasks. */
    public boolean offloading() {
        return !handshakeDone;
    }

    /** The engine doing the TLS work (Bouncy Castle's), e.g. for its BCSSLEngine parameters. */
    public SSLEngine inner() {
        return inner;
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        synchronized (lock) {
            if (failure != null) {
                SSLException f = failure;
                failure = null;
                throw f;
            }
            if (pendingOut.hasRemaining()) {
                int room = room(dsts, offset, length);
                if (room == 0) {
                    return new SSLEngineResult(Status.BUFFER_OVERFLOW, status(), 0, 0);
                }
                return new SSLEngineResult(Status.OK, status(), 0, drain(pendingOut, dsts, offset, length));
            }
            if (taskQueued || taskRunning) {
                return new SSLEngineResult(Status.OK, HandshakeStatus.NEED_TASK, 0, 0);
            }
            if (!handshakeDone && src.hasRemaining()) {
                int n = src.remaining();
                ByteBuffer joined = ByteBuffer.allocate(pendingIn.remaining() + n);
                joined.put(pendingIn).put(src).flip();
                pendingIn = joined;
                taskQueued = true;
                return new SSLEngineResult(Status.OK, HandshakeStatus.NEED_TASK, n, 0);
            }
            if (pendingIn.hasRemaining()) {
                return new SSLEngineResult(Status.BUFFER_UNDERFLOW, status(), 0, 0); // a partial record waits
            }
        }
        // after the handshake, or nothing to process (Netty's empty unwrap for handshake progress)
        SSLEngineResult r = inner.unwrap(src, dsts, offset, length);
        noteFinished(r);
        return r;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        synchronized (lock) {
            if (taskQueued || taskRunning) {
                return new SSLEngineResult(Status.OK, HandshakeStatus.NEED_TASK, 0, 0);
            }
        }
        SSLEngineResult r = inner.wrap(srcs, offset, length, dst);
        noteFinished(r);
        return r;
    }

    @Override
    public Runnable getDelegatedTask() {
        synchronized (lock) {
            if (!taskQueued) {
                return null;
            }
            taskQueued = false;
            taskRunning = true;
            return this::unwrapPending;
        }
    }

    /** The task: unwraps every complete record received, on the executor's thread (the trust manager runs here). */
    private void unwrapPending() {
        ByteBuffer in;
        synchronized (lock) {
            in = pendingIn;
            pendingIn = EMPTY;
        }
        ByteBuffer out = ByteBuffer.allocate(inner.getSession().getApplicationBufferSize());
        SSLException error = null;
        try {
            while (in.hasRemaining()) {
                SSLEngineResult r = inner.unwrap(in, out);
                noteFinished(r);
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    ByteBuffer bigger = ByteBuffer.allocate(out.capacity() * 2);
                    out.flip();
                    out = bigger.put(out);
                    continue;
                }
                for (Runnable t = inner.getDelegatedTask(); t != null; t = inner.getDelegatedTask()) {
                    t.run();
                }
                if (r.getStatus() != Status.OK || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    break; // a partial record (kept for the next bytes) or the peer closed
                }
            }
        } catch (SSLException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new SSLException(e.getMessage(), e);
        }
        out.flip();
        synchronized (lock) {
            pendingIn = in.hasRemaining() ? copy(in) : EMPTY;
            if (out.hasRemaining()) {
                ByteBuffer joined = ByteBuffer.allocate(pendingOut.remaining() + out.remaining());
                joined.put(pendingOut).put(out).flip();
                pendingOut = joined;
            }
            failure = error;
            taskRunning = false;
            applyDeferredCloses();
        }
    }

    private void applyDeferredCloses() {
        if (closeOutboundLater) {
            closeOutboundLater = false;
            inner.closeOutbound();
        }
        if (closeInboundLater) {
            closeInboundLater = false;
            try {
                inner.closeInbound();
            } catch (SSLException e) {
                // a close before the peer's close_notify: nothing more to tell
            }
        }
    }

    private void noteFinished(SSLEngineResult r) {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            handshakeDone = true;
        }
    }

    /** Under lock, with no task active. */
    private HandshakeStatus status() {
        if (failure != null) {
            return HandshakeStatus.NEED_UNWRAP; // the next unwrap throws it, as the inner engine would have
        }
        HandshakeStatus s = inner.getHandshakeStatus();
        return pendingOut.hasRemaining() && s != HandshakeStatus.NOT_HANDSHAKING ? HandshakeStatus.NEED_UNWRAP : s;
    }

    @Override
    public HandshakeStatus getHandshakeStatus() {
        synchronized (lock) {
            if (taskQueued || taskRunning) {
                return HandshakeStatus.NEED_TASK;
            }
            return status();
        }
    }

    @Override
    public void closeInbound() throws SSLException {
        synchronized (lock) {
            if (taskRunning) {
                closeInboundLater = true;
                return;
            }
        }
        inner.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
        synchronized (lock) {
            if (taskRunning) {
                return closeInboundLater;
            }
        }
        return inner.isInboundDone();
    }

    @Override
    public void closeOutbound() {
        synchronized (lock) {
            if (taskRunning) {
                closeOutboundLater = true;
                return;
            }
        }
        inner.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
        synchronized (lock) {
            if (taskRunning) {
                return closeOutboundLater;
            }
        }
        return inner.isOutboundDone();
    }

    private static int room(ByteBuffer[] dsts, int offset, int length) {
        int room = 0;
        for (int i = offset; i < offset + length; i++) {
            room += dsts[i].remaining();
        }
        return room;
    }

    private static int drain(ByteBuffer from, ByteBuffer[] dsts, int offset, int length) {
        int moved = 0;
        for (int i = offset; i < offset + length && from.hasRemaining(); i++) {
            int n = Math.min(from.remaining(), dsts[i].remaining());
            ByteBuffer slice = from.slice();
            slice.limit(n);
            dsts[i].put(slice);
            from.position(from.position() + n);
            moved += n;
        }
        return moved;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b).flip();
        return c;
    }

    // everything else is the inner engine's

    @Override
    public void beginHandshake() throws SSLException {
        inner.beginHandshake();
    }

    @Override
    public SSLSession getSession() {
        return inner.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return inner.getHandshakeSession();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return inner.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return inner.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        inner.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return inner.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return inner.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        inner.setEnabledProtocols(protocols);
    }

    @Override
    public void setUseClientMode(boolean mode) {
        inner.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return inner.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        inner.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return inner.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        inner.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return inner.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        inner.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return inner.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return inner.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        inner.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return inner.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return inner.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        inner.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return inner.getHandshakeApplicationProtocolSelector();
    }
}
