/**
 * Typed access to the {@code trunkgate.*} keys ({@link io.trunkgate.config.Settings}: system property, environment,
 * application.properties, then the shipped defaults, which live only in {@code trunkgate-defaults.properties}) and
 * {@link io.trunkgate.config.ConfigException}, which names the key. Uses no other trunkgate package.
 */
package io.trunkgate.config;

