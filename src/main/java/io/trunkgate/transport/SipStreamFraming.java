package io.trunkgate.transport;

import io.netty.channel.ChannelHandler;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * {@code decoders: "#sipStreamFraming"} on a netty:tcp endpoint: a new {@link SipStreamDecoder} per connection
 * (a decoder keeps state, so it cannot be shared).
 */
public class SipStreamFraming extends DefaultChannelHandlerFactory {

    private int maxHeaderBytes = 16 * 1024;
    private int maxBodyBytes = 64 * 1024;

    public SipStreamFraming() {
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
