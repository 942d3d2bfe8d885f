package io.trunkgate.transport;

import io.netty.channel.ChannelHandler;
import io.trunkgate.config.Settings;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * {@code decoders: "#sipStreamFraming"} on a netty:tcp endpoint: a new {@link SipStreamDecoder} per connection
 * (a decoder keeps state, so it cannot be shared).
 */
public class SipStreamFraming extends DefaultChannelHandlerFactory {

    private int maxHeaderBytes;
    private int maxBodyBytes;

    /** With the shipped limits (trunkgate.sip.max-header-bytes, trunkgate.sip.max-body-bytes). */
    public SipStreamFraming() {
        this(Settings.shipped().getInt("trunkgate.sip.max-header-bytes"), Settings.shipped().getInt("trunkgate.sip.max-body-bytes"));
    }

    public SipStreamFraming(int maxHeaderBytes, int maxBodyBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new SipStreamDecoder(maxHeaderBytes, maxBodyBytes);
    }

    public void setMaxHeaderBytes(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    public void setMaxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }
}
