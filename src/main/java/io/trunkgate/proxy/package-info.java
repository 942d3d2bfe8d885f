/**
 * The transaction-stateful proxy of RFC 3261 16 and 17, split as Kamailio's tm: {@link io.trunkgate.proxy.ProxyCore}
 * (the facade), the transaction table, retransmission timers, the ACK bridge between reliable and unreliable legs,
 * the dialog table; the steps {@code sipTransaction}, {@code sipRouteSet}, {@code responseMatch} and
 * {@code sipForward}; and the OPTIONS prober of the trunks' remote hosts ({@link io.trunkgate.proxy.OptionsProber}).
 * The only package that sends SIP requests. Uses {@code flow}, {@code sip}, {@code routing} (failover, host
 * liveness), {@code transport} and {@code config}.
 */
package io.trunkgate.proxy;
