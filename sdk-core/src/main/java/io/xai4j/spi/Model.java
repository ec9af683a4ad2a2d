package io.xai4j.spi;

import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded model that can run batched forward passes. Implementations own native resources and must be
 * closed. All calls are thread-safe.
 */
public interface Model extends AutoCloseable {

    /** Inputs and outputs, with declared (possibly symbolic) shapes. */
    ModelSignature signature();

    /**
     * Runs the model. Every input carries the batch as its first dimension and all inputs share it. Any
     * batch size is accepted; a backend that cannot batch runs rows one by one.
     *
     * @param inputs  one tensor per model input, by name
     * @param outputs names of the outputs to compute: model outputs, or intermediate tensors when the model
     *                has {@link ModelCapability#INTERMEDIATES}
     * @return the requested tensors, by name
     */
    Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs);

    /** Runs the model and returns all declared outputs. */
    default Map<String, Tensor> forward(Map<String, Tensor> inputs) {
        return forward(inputs, Set.copyOf(signature().outputNames()));
    }

    Set<ModelCapability> capabilities();

    /** The tensors inside the model in topological order, with shapes for the given input shapes. */
    default List<LayerInfo> layers(Map<String, int[]> inputShapes) {
        throw new UnsupportedOperationException("this model does not expose its intermediate tensors");
    }

    /** The gradient engine, when the model supports {@link ModelCapability#GRADIENTS}. */
    default Optional<GradientEngine> gradients() {
        return Optional.empty();
    }

    /** Where the model came from and its SHA-256, for provenance. */
    ModelInfo info();

    @Override
    void close();
}
