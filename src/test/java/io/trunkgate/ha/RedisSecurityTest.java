package io.trunkgate.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import io.trunkgate.cert.Pem;
import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.RedisServer;
import io.trunkgate.tls.CertificateIssuer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Redis holds the SRTP keys of live calls (issue #18 item 2): an ACL user limited as docs/high-availability.md says
 * is enough for the lease and the call store and keeps the user off every other key; TLS to Redis with
 * {@code trunkgate.ha.redis-ca} checks Redis's certificate (an unknown CA gets no connection).
 */
class RedisSecurityTest {

    static final String DOC = "docs/high-availability.md";

    /** The ACL line of the docs, as an operator pastes it, with SECRET replaced. */
    static List<String> documentedAcl(String secret) throws Exception {
        String doc = Files.readString(Path.of(DOC));
        int at = doc.indexOf("`ACL SETUSER trunkgate ");
        assertTrue(at >= 0, "no ACL line in " + DOC);
        String line = doc.substring(at + 1, doc.indexOf('`', at + 1));
        assertTrue(line.contains(">SECRET"), line);
        return Arrays.asList(line.replace(">SECRET", ">" + secret).split(" "));
    }

    static RedisLink link(String uri, Path ca) {
        return new RedisLink(new HaSettings(true, uri, "tg-a", Duration.ofSeconds(1), ca),
                new DefaultCamelContext().getExecutorServiceManager());
    }

    @Test
    @DisplayName("the documented ACL user runs the lease and the call store, and nothing else")
    void documentedAclUserIsEnoughAndNoMore() throws Exception {
        try (RedisServer redis = RedisServer.start(RunningGateway.freePort())) {
            List<String> acl = documentedAcl("acl-secret");
            assertEquals(List.of("OK"), redis.cli(acl.toArray(String[]::new)), "the docs' line as redis-cli runs it: " + acl);
            try (RedisLink link = link("redis://trunkgate:acl-secret@127.0.0.1:" + redis.port(), null)) {
                assertTrue(LeaseTest.answers(link, 10));
                Lease lease = new Lease(link, "tg-a", 1000);
                assertTrue(lease.tryAcquire());
                assertTrue(lease.renew(), "the renewal script (EVAL: get, pexpire)");
                lease.release();
                assertEquals(List.of(), redis.keys(Lease.KEY), "the release script (EVAL: get, del)");

                CallState call = CallStateTest.sample("acl-1@127.0.0.1");
                CallStore store = new CallStore(link, "tg-a", id -> Optional.of(call.media()));
                store.writing(true);
                store.answered(call.trunk(), call.dialog());
                store.flush();
                Instant end = Instant.now().plusSeconds(5);
                while (store.writes() < 1 && Instant.now().isBefore(end)) {
                    Thread.sleep(20);
                }
                assertEquals(1, store.writes(), "SETEX of the call's state; failed: " + store.failedWrites());
                List<CallState> loaded = store.loadAll(); // SCAN + MGET, as a standby taking over
                assertEquals(List.of(call), loaded);
                store.ended(call.dialog().callId());
                store.flush();
                end = Instant.now().plusSeconds(5);
                while (!redis.keys("trunkgate:call:*").isEmpty() && Instant.now().isBefore(end)) {
                    Thread.sleep(20);
                }
                assertEquals(List.of(), redis.keys("trunkgate:call:*"), "DEL at the call's end");
                assertEquals(0, store.failedWrites());

                // the user is kept to trunkgate's keys and commands
                ExecutionException other = assertThrows(ExecutionException.class, () -> link.await(c -> c.get("billing:secret")));
                assertTrue(other.getCause().getMessage().contains("NOPERM"), other.getCause().toString());
                ExecutionException flush = assertThrows(ExecutionException.class, () -> link.await(c -> c.flushall()));
                assertTrue(flush.getCause().getMessage().contains("NOPERM"), flush.getCause().toString());
            }
        }
    }

    @Test
    @DisplayName("rediss:// with trunkgate.ha.redis-ca: Redis's certificate is checked; an unknown CA gets no connection")
    void tlsToRedisChecksItsCertificate() throws Exception {
        CertificateIssuer.Issued ca = CertificateIssuer.ca("Redis Test CA").selfSigned();
        CertificateIssuer.Issued leaf = CertificateIssuer.leaf("localhost").dns("localhost").issuedBy(ca);
        CertificateIssuer.Issued stranger = CertificateIssuer.ca("Some Other CA").selfSigned();
        Path dir = Files.createTempDirectory("redis-tls");
        Path chain = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        Path caFile = dir.resolve("ca.pem");
        Path strangerFile = dir.resolve("stranger.pem");
        Pem.write(chain, leaf.certificate(), ca.certificate());
        Pem.write(key, leaf.key());
        Pem.write(caFile, ca.certificate());
        Pem.write(strangerFile, stranger.certificate());
        int tlsPort = RunningGateway.freePort();
        try (RedisServer redis = RedisServer.startTls(RunningGateway.freePort(), tlsPort, chain, key, caFile)) {
            String uri = "rediss://:" + RedisServer.PASSWORD + "@localhost:" + tlsPort;
            try (RedisLink trusted = link(uri, caFile)) {
                assertTrue(LeaseTest.answers(trusted, 10), "TLS to Redis with its CA");
                Lease lease = new Lease(trusted, "tg-a", 1000);
                assertTrue(lease.tryAcquire());
                assertEquals(List.of("tg-a"), redis.cli("GET", Lease.KEY));
            }
            List<String> refusals = new ArrayList<>();
            for (Path wrongCa : new Path[] {strangerFile, null}) { // another CA; the JVM's trust store
                try (RedisLink untrusted = link(uri, wrongCa)) {
                    assertFalse(LeaseTest.answers(untrusted, 3), "no connection when Redis's certificate is not trusted (" + wrongCa + ")");
                    assertFalse(untrusted.isUp());
                    refusals.add(untrusted.lastError());
                }
            }
            assertTrue(refusals.stream().allMatch(e -> e.contains("SSL") || e.contains("certif") || e.contains("PKIX")),
                    "the cause names the certificate: " + refusals);
        }
    }

    @Test
    @DisplayName("trunkgate.ha.redis-ca with a redis:// URI, or a file that cannot be read, stops start-up naming the key")
    void redisCaNeedsTlsAndAReadableFile() {
        Map<String, String> plain = Map.of("trunkgate.ha.enabled", "true", "trunkgate.ha.redis-uri", "redis://127.0.0.1:6379",
                "trunkgate.ha.redis-ca", "/etc/hosts");
        ConfigException notTls = assertThrows(ConfigException.class,
                () -> HaSettings.from(new Settings(k -> Optional.ofNullable(plain.get(k)))));
        assertTrue(notTls.getMessage().contains("trunkgate.ha.redis-ca") && notTls.getMessage().contains("rediss://"),
                notTls.getMessage());
        Map<String, String> missing = Map.of("trunkgate.ha.enabled", "true", "trunkgate.ha.redis-uri", "rediss://127.0.0.1:6379",
                "trunkgate.ha.redis-ca", "/no/such/ca.pem");
        ConfigException unreadable = assertThrows(ConfigException.class,
                () -> HaSettings.from(new Settings(k -> Optional.ofNullable(missing.get(k)))));
        assertTrue(unreadable.getMessage().contains("/no/such/ca.pem"), unreadable.getMessage());
    }
}
