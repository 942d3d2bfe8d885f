package io.trunkgate.ha;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce connection to Redis, used only asynchronously. Commands never queue while Redis is away
 * ({@code DisconnectedBehavior.REJECT_COMMANDS}: they fail at once) and never wait longer than
 * {@link HaSettings#COMMAND_TIMEOUT}; so Redis down or slow costs a call nothing (issue #18 item 3). Lettuce's two
 * threads are named as Camel names its threads ({@code trunkgate-redis-*}). Up/down is tracked here, from the
 * outcome of every command: the health check and the re-sync read it.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

    private final HaSettings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile CompletableFuture<StatefulRedisConnection<String, String>> connecting;
    private volatile boolean up;
    private volatile String lastError = "not connected yet";

    RedisLink(HaSettings settings, ExecutorServiceManager threads) {
        this.settings = settings;
        this.uri = RedisURI.create(settings.redisUri());
        this.uri.setTimeout(HaSettings.COMMAND_TIMEOUT);
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
                .threadFactoryProvider(pool -> new DefaultThreadFactory(threads.resolveThreadName("trunkgate-redis"), true))
                .reconnectDelay(Delay.constant(Duration.ofMillis(500))) // not Lettuce's backoff to 30 s: back soon after Redis is
                .build();
        this.client = RedisClient.create(resources);
        ClientOptions.Builder options = ClientOptions.builder();
        if (settings.redisCa() != null) { // a private CA for Redis's certificate; else the JVM's trust store
            options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(settings.redisCa().toFile()).build());
        }
        this.client.setOptions(options
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(HaSettings.COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
                .build());
    }

    /**
     * Runs {@code command} on the connection; fails at once when there is none (it is opened in the background, the
     * next command may find it). Completes on a Lettuce thread: callers hand heavy work elsewhere.
     */
    <T> CompletableFuture<T> run(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) { // never connected yet; once it was, Lettuce reconnects it and rejects commands meanwhile
            connect();
            CompletableFuture<T> failed = new CompletableFuture<>();
            failed.completeExceptionally(new IllegalStateException("no connection to Redis at "
                    + settings.redactedUri() + ": " + lastError));
            down(lastError);
            return failed;
        }
        CompletableFuture<T> result;
        try {
            result = command.apply(c.async()).toCompletableFuture();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((v, e) -> {
            if (e == null) {
                up = true;
            } else {
                down(e.getCause() != null && e instanceof java.util.concurrent.CompletionException
                        ? e.getCause().toString() : e.toString());
            }
        });
    }

    /** As {@link #run}, waiting at most the command timeout (plus a margin): for the HA thread only. */
    <T> T await(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) throws Exception {
        return run(command).get(HaSettings.COMMAND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the connection in the background, once at a time (Lettuce reconnects an established one by itself); the
     * future completes when this attempt ended.
     */
    CompletableFuture<?> connect() {
        CompletableFuture<?> pending = connecting;
        if (connection != null || (pending != null && !pending.isDone())) {
            return pending != null ? pending : CompletableFuture.completedFuture(null);
        }
        connecting = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture().whenComplete((conn, e) -> {
            if (e != null) {
                down(e.getCause() != null ? e.getCause().toString() : e.toString());
                return;
            }
            connection = conn;
            up = true;
            LOG.debug("connected to Redis at {}", settings.redactedUri());
        });
        return connecting;
    }

    private void down(String cause) {
        up = false;
        lastError = cause;
    }

    /** Where Redis is, without the password. */
    String uri() {
        return settings.redactedUri();
    }

    /** The last command succeeded. */
    boolean isUp() {
        return up;
    }

    /** Why the last command failed (no secrets: Lettuce does not print passwords). */
    String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        connection = null;
        try {
            if (c != null) {
                c.close();
            }
            client.shutdown(0, 2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.debug("closing the Redis client: {}", e.toString());
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
