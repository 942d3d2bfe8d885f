/**
 * Which new calls the gateway takes, so that the calls it took complete: the steps {@code admission} (drain,
 * overload shedding by queueing delay and media-range fill, global and per-trunk limits of calls at once and calls
 * per second: 503 with Retry-After) and {@code sourceLimit} (a per-source request-rate limit that blocks a flooding
 * source for a while, like Kamailio's pike), the service {@code callAdmission} that counts calls from their INVITE
 * to their end and drains them on SIGTERM, and the warm-up of the call path before readiness. Uses {@code flow},
 * {@code limits}, {@code routing} (trunk limits, the PBX addresses), {@code proxy} (when calls end), {@code sip},
 * {@code media.relay} (the media range), {@code media.sdp} (the warm-up's SDES) and {@code config}.
 */
package io.trunkgate.admission;
