package io.xai4j.onnx;

import io.xai4j.spi.LayerInfo;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.TensorSpec;
import java.util.List;

/**
 * What a model file contains.
 *
 * @param info      file name, SHA-256, backend and device
 * @param irVersion the ONNX IR version
 * @param opset     the default-domain opset version
 * @param producer  the producing tool and its version, e.g. {@code pytorch 2.5.1}
 * @param batchMode how batches run
 * @param inputs    declared inputs
 * @param outputs   declared outputs
 * @param layers    intermediate tensors in topological order with shapes from a probe run
 */
public record ModelInspection(ModelInfo info, long irVersion, long opset, String producer, String batchMode,
                              List<TensorSpec> inputs, List<TensorSpec> outputs, List<LayerInfo> layers) {
    public ModelInspection {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        layers = List.copyOf(layers);
    }
}
