/**
 * Certificates as the spec checks them (CERT-*): trust profiles, path building and validation, names, dates, usage,
 * strength, revocation with the CRL cache, the self-check of our own certificate, the trust manager both TLS roles
 * use, and PEM files ({@link io.trunkgate.cert.Pem}). See docs/certificates.md. Uses {@code config} only.
 */
package io.trunkgate.cert;

