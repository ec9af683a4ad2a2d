package io.xai4j.spi;

import java.util.List;

/**
 * A tensor inside a model: its name (the layer reference used by {@code --layer}), the op and node
 * that produce it, and its concrete shape for the probe input (batch first).
 */
public record LayerInfo(String tensor, String opType, String node, List<Long> shape) {
    public LayerInfo {
        shape = List.copyOf(shape);
    }
}
