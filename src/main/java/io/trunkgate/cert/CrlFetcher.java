package io.trunkgate.cert;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Downloads one CRL over http or https (CERT-9), DER or PEM. Connect and whole-request time are both bounded by
 * trunkgate.crl.timeout, and the work runs on the given executor: never on the caller's thread, which may be a
 * Netty event loop.
 */
final class CrlFetcher {

    private final HttpClient client;
    private final Duration timeout;

    CrlFetcher(Duration timeout, Executor executor) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).executor(executor).build();
    }

    Duration timeout() {
        return timeout;
    }

    CompletableFuture<X509CRL> fetch(String url) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad CRL URL " + url));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(response -> parse(url, response));
    }

    private static X509CRL parse(String url, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new CompletionException(new CRLException("HTTP " + response.statusCode() + " from " + url));
        }
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(response.body()));
        } catch (CRLException | CertificateException e) {
            throw new CompletionException(new CRLException("not a CRL at " + url + ": " + e.getMessage(), e));
        }
    }
}
