/**
 * The wiring: {@link io.trunkgate.TrunkgateConfiguration} binds trunkgate's default beans under the names of
 * {@link io.trunkgate.flow.TrunkgateBeans} (only names left free), and {@code TrunkgateServices} starts whatever is
 * bound under the service names with the Camel context. May use every package; nothing uses it but the CLI.
 */
package io.trunkgate;

