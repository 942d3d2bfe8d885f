/**
 * The mechanics of limits, shared by the listeners ({@code transport}) and the call flow ({@code admission}): rates
 * ({@link io.trunkgate.limits.TokenBucket}), per-source counts and rates ({@link io.trunkgate.limits.SourceCaps},
 * {@link io.trunkgate.limits.FloodBlock}), and {@link io.trunkgate.limits.RefusalLog}, which counts every refusal
 * and logs one summary line per interval instead of one line per refused message. Uses {@code config} only.
 */
package io.trunkgate.limits;
