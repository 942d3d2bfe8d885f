package io.trunkgate.transport;

import java.util.function.Supplier;

import io.netty.channel.ChannelHandler;
import io.trunkgate.config.Settings;
import io.trunkgate.limits.RefusalLog;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * {@code decoders: "#sipStreamFraming"} on a netty:tcp endpoint: a new {@link SipStreamDecoder} per connection
 * (a decoder keeps state, so it cannot be shared).
 */
public class SipStreamFraming extends DefaultChannelHandlerFactory {

    private int maxHeaderBytes;
    private int maxBodyBytes;
    private long messageTimeoutMillis;
    private final Supplier<RefusalLog> refusals;

    /** With the shipped limits (trunkgate.sip.max-header-bytes, max-body-bytes, message-timeout). */
    public SipStreamFraming() {
        this(Settings.shipped(), null);
    }

    /** The limits of {@code settings}; framing refusals counted by {@code refusals} (null: each one logged). */
    public SipStreamFraming(Settings settings, Supplier<RefusalLog> refusals) {
        this(settings.getInt("trunkgate.sip.max-header-bytes"), settings.getInt("trunkgate.sip.max-body-bytes"),
                settings.getDuration("trunkgate.sip.message-timeout").toMillis(), refusals);
    }

    public SipStreamFraming(int maxHeaderBytes, int maxBodyBytes, long messageTimeoutMillis, Supplier<RefusalLog> refusals) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
        this.messageTimeoutMillis = messageTimeoutMillis;
        this.refusals = refusals;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new SipStreamDecoder(maxHeaderBytes, maxBodyBytes, messageTimeoutMillis, refusals);
    }

    public void setMaxHeaderBytes(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    public void setMaxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public void setMessageTimeoutMillis(long messageTimeoutMillis) {
        this.messageTimeoutMillis = messageTimeoutMillis;
    }
}
