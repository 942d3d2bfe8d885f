/**
 * {@code check HOST[:PORT]}: connects as our client role would and reports the remote's TLS profile, chain, names,
 * dates, CRL status and its answer to OPTIONS, each with its requirement ID (CERT-10). Uses {@code cert} and {@code tls}.
 */
package io.trunkgate.check;

