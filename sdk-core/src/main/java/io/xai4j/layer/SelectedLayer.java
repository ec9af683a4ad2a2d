package io.xai4j.layer;

import java.util.List;

/**
 * The layer a layer method attributes to.
 *
 * @param tensor    the tensor name
 * @param shape     its shape for the probe input (batch first)
 * @param automatic true when no layer was given and it was chosen automatically
 * @param reason    how it was found, e.g. {@code last tensor of scope 'layer4'}
 */
public record SelectedLayer(String tensor, List<Long> shape, boolean automatic, String reason) {
    public SelectedLayer {
        shape = List.copyOf(shape);
    }
}
