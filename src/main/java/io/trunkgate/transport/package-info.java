/**
 * SIP on the wire: the listeners' Netty pipeline ({@link io.trunkgate.transport.SipServerInitializer}: TLS-2
 * mismatch check, TLS engine, flush consolidation, stream framing), RFC 3261 18.3 framing
 * ({@link io.trunkgate.transport.SipStreamDecoder}), connections as {@link io.trunkgate.flow.SipConnection}s, the
 * UDP listener sockets, and the connections we open ({@link io.trunkgate.transport.TrunkConnections}, the client
 * role of TLS-7, host names resolved from {@code trunkgate.dns.servers} when set); the life of each stream connection ({@link io.trunkgate.transport.ConnectionWatch}: a log line
 * with why it closed; {@link io.trunkgate.transport.KeepAlive}: idle limit, RFC 5626 keep-alive pings) and the TLS
 * listener's per-source caps. Knows bytes, not parsed SIP. Uses {@code flow}, {@code tls}, {@code cert},
 * {@code limits}, {@code config}.
 */
package io.trunkgate.transport;

