/**
 * trunkgate's TLS (TLS-3..7, TLS-9): the spec's profile applied per engine through Bouncy Castle's JSSE
 * ({@link io.trunkgate.tls.TlsProfile}), our key material and its hot reload ({@link io.trunkgate.tls.TrunkTls}, a
 * Camel service and SSLContextParameters), the dev PKI, the handshake engine that checks peer certificates off the
 * event loop, and the ready line. Uses {@code cert} and {@code config}.
 */
package io.trunkgate.tls;

