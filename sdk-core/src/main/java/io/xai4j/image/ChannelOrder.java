package io.xai4j.image;

/** Order of colour channels in the model input. */
public enum ChannelOrder {
    RGB(3), BGR(3),
    /** One luminance channel: {@code 0.299 R + 0.587 G + 0.114 B}. */
    GRAY(1);

    private final int channels;

    ChannelOrder(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }
}
