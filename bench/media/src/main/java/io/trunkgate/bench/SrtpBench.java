package io.trunkgate.bench;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.relay.DropCause;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.relay.PacketBuffer;
import io.trunkgate.media.relay.SrtpProtector;
import io.trunkgate.media.relay.SrtpUnprotector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 172-byte RTP packet (12-byte header + 160 bytes of G.711), protected then unprotected, one thread:
 * {@link #trunkgate} through SrtpProtector/SrtpUnprotector (jitsi-srtp, AES_CM_128_HMAC_SHA1_80, what the relay
 * runs per packet), {@link #rawJce} the same work by hand with SunJCE (AES/CTR + HmacSHA1, RFC 3711 IV and
 * ROC, 80-bit tag) and no framework around it: the floor any Java SRTP can reach.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class SrtpBench {

    static final int PAYLOAD = 160;
    static final int TAG = 10;

    final byte[] template = new byte[12 + PAYLOAD];
    final byte[] buffer = new byte[template.length + 64];
    int sequence;

    SrtpProtector protector;
    SrtpUnprotector unprotector;

    // raw JCE state: session keys derived once, as a context keeps them
    Cipher aes;
    Mac hmac;
    SecretKeySpec cipherKey;
    byte[] sessionSalt = new byte[14];
    final byte[] iv = new byte[16];
    final byte[] tag = new byte[20];
    final byte[] check = new byte[20];

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        template[0] = (byte) 0x80;
        template[8] = 0x12;
        template[9] = 0x34;
        template[10] = 0x56;
        template[11] = 0x78;
        for (int i = 12; i < template.length; i++) {
            template[i] = (byte) (i * 31);
        }
        MasterKey key = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_80, random);
        protector = new SrtpProtector(key);
        unprotector = new SrtpUnprotector(key);

        byte[] k = new byte[16];
        byte[] a = new byte[20];
        random.nextBytes(k);
        random.nextBytes(a);
        random.nextBytes(sessionSalt);
        cipherKey = new SecretKeySpec(k, "AES");
        aes = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
        hmac = Mac.getInstance("HmacSHA1", "SunJCE");
        hmac.init(new SecretKeySpec(a, "HmacSHA1"));
    }

    private int nextPacket() {
        System.arraycopy(template, 0, buffer, 0, template.length);
        int seq = sequence++;
        buffer[2] = (byte) (seq >> 8);
        buffer[3] = (byte) seq;
        return seq;
    }

    @Benchmark
    public int trunkgate() {
        nextPacket();
        PacketBuffer p = new PacketBuffer(buffer, 0, template.length);
        Optional<DropCause> sent = protector.protectRtp(p);
        Optional<DropCause> got = unprotector.unprotectRtp(p);
        if (sent.isPresent() || got.isPresent()) {
            throw new IllegalStateException(sent + " " + got);
        }
        return p.getLength();
    }

    @Benchmark
    public int rawJce() throws GeneralSecurityException {
        int index = nextPacket() & 0xffffffff;
        int roc = index >>> 16;
        int length = template.length;
        // protect: AES-CM over the payload (RFC 3711 4.1.1 IV), then the tag over header, payload and ROC
        ivFor(index);
        aes.init(Cipher.ENCRYPT_MODE, cipherKey, new IvParameterSpec(iv));
        aes.doFinal(buffer, 12, PAYLOAD, buffer, 12);
        hmac.update(buffer, 0, length);
        hmac.update((byte) (roc >>> 24));
        hmac.update((byte) (roc >>> 16));
        hmac.update((byte) (roc >>> 8));
        hmac.update((byte) roc);
        hmac.doFinal(tag, 0);
        System.arraycopy(tag, 0, buffer, length, TAG);
        // unprotect: verify the tag (constant time), then decrypt
        hmac.update(buffer, 0, length);
        hmac.update((byte) (roc >>> 24));
        hmac.update((byte) (roc >>> 16));
        hmac.update((byte) (roc >>> 8));
        hmac.update((byte) roc);
        hmac.doFinal(check, 0);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOf(check, TAG),
                java.util.Arrays.copyOfRange(buffer, length, length + TAG))) {
            throw new IllegalStateException("tag");
        }
        ivFor(index);
        aes.init(Cipher.DECRYPT_MODE, cipherKey, new IvParameterSpec(iv));
        aes.doFinal(buffer, 12, PAYLOAD, buffer, 12);
        return length;
    }

    /** IV = (salt << 16) XOR (SSRC << 64) XOR (index << 16). */
    private void ivFor(long index) {
        System.arraycopy(sessionSalt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= buffer[8 + i];
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (8 * (5 - i)));
        }
    }
}
