/**
 * High availability of an active/standby pair (issue #18 items 2-3): a lease in Redis decides which instance is
 * active ({@link io.trunkgate.ha.HaService}, {@link io.trunkgate.ha.Lease}); the active writes each call's dialog and
 * media state to Redis when it changes ({@link io.trunkgate.ha.CallStore}, {@link io.trunkgate.ha.CallState}), never on
 * a SIP or media thread; the standby starts its listeners ({@link io.trunkgate.ha.HaRoutePolicy}) only once it holds
 * the lease and has restored every call. Redis down or slow never fails or delays a call: the health check says HA is
 * degraded ({@link io.trunkgate.ha.HaHealthCheck}) and the state is written again when Redis is back.
 * See docs/high-availability.md. Uses flow, config, proxy, media, media.relay, media.sdp.
 */
package io.trunkgate.ha;
