package io.xai4j.spi;

/**
 * How to load a model.
 *
 * @param device            {@code cpu} or {@code cuda[:id]}
 * @param fallbackToCpu     when the device is unavailable, use the CPU (with a warning) instead of failing
 * @param intraOpThreads    threads per operator; 0 means one per core
 */
public record ModelOptions(String device, boolean fallbackToCpu, int intraOpThreads) {
    public static ModelOptions defaults() {
        return new ModelOptions("cpu", false, 0);
    }

    public ModelOptions withDevice(String device, boolean fallbackToCpu) {
        return new ModelOptions(device, fallbackToCpu, intraOpThreads);
    }
}
