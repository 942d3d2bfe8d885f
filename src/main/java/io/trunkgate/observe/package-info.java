/**
 * Operations (issue #14, docs/operations.md): what the call flow tells through {@link io.trunkgate.flow.FlowEvents}
 * goes to the Prometheus meters ({@link io.trunkgate.observe.SipMeters}), the HEP v3 traces
 * ({@link io.trunkgate.observe.HepSender}) and the call detail records ({@link io.trunkgate.observe.CallRecords}, to
 * {@code direct:cdr}), each leaving the call flow through a bounded queue ({@link io.trunkgate.observe.Handoff}) or
 * a counter; {@link io.trunkgate.observe.Management} runs the management port (a Vert.x platform-http server) and
 * registers the health checks and the {@code trunkgate} dev console; the steps of routes/management.yaml answer
 * there. Uses flow, config and reads the state of admission, cert, tls, routing, limits, media.relay and proxy;
 * nothing uses it but the configuration.
 */
package io.trunkgate.observe;
