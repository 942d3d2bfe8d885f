/**
 * The contract between the routes, the steps and an embedding application: the exchange headers and properties
 * ({@link io.trunkgate.flow.TrunkgateConstants}), the bean names ({@link io.trunkgate.flow.TrunkgateBeans}, resolved
 * by {@link io.trunkgate.flow.BeanRef}), the {@link io.trunkgate.flow.Side} of a message, where it goes next
 * ({@link io.trunkgate.flow.NextHop}), the way back to a peer ({@link io.trunkgate.flow.SipConnection}), and the
 * requests steps make of each other ({@link io.trunkgate.flow.Responder}, {@link io.trunkgate.flow.MediaRefusal}),
 * the base of the service beans ({@link io.trunkgate.flow.TrunkgateService}), and what the call flow tells operations
 * ({@link io.trunkgate.flow.FlowEvents}, {@link io.trunkgate.flow.CallStart}).
 * Uses Camel and JAIN-SIP only: every other package may use it.
 */
package io.trunkgate.flow;

