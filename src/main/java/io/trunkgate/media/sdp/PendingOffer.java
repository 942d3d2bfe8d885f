package io.trunkgate.media.sdp;

import java.util.Map;

import io.trunkgate.flow.Side;

/**
 * What an offer leaves for its answer. Offer from the trunk: the remote's chosen crypto line and our fresh
 * key for the answer. Offer from the inside: the crypto lines we offered the trunk, by tag.
 */
public record PendingOffer(Side from, MediaSecurity security, int mediaIndex, String offererProto,
        Endpoint offerer, CryptoAttribute remoteCrypto, MasterKey answerKey, Map<Integer, MasterKey> offeredKeys) {

    public PendingOffer {
        offeredKeys = Map.copyOf(offeredKeys);
    }
}
