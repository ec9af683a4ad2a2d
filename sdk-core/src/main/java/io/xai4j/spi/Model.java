package io.xai4j.spi;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.layer.GraphView;
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

    /** A read-only view of the model's graph (nodes and constants), when the backend has one. */
    default Optional<GraphView> graph() {
        return Optional.empty();
    }

    /**
     * The part of the model from an intermediate tensor to the outputs: a model whose only input is
     * {@code layer} (batch first, any batch size) and whose outputs are this model's outputs. Used by
     * methods that perturb a layer and rerun only what follows it. The caller closes the returned model.
     *
     * @throws XaiException {@link ErrorCode#MISSING_CAPABILITY} when the backend cannot cut its model, or
     *                      {@link ErrorCode#UNKNOWN_LAYER} / {@link ErrorCode#UNSUPPORTED_OP} when this layer
     *                      cannot be cut at (for example when the rest still needs another model input)
     */
    default Model tail(String layer) {
        throw new XaiException(ErrorCode.MISSING_CAPABILITY, "the " + info().backend() + " backend cannot run the"
                + " part of a model after layer '" + layer + "'; methods that perturb a layer (ablation-cam) need an"
                + " ONNX model, other CAM methods (grad-cam, score-cam, eigen-cam) still work");
    }

    /**
     * A copy of this model, in memory, whose constant tensors (weights) named in {@code replacements} hold the given
     * values; the model file is never changed. Used by sanity checks that destroy a model's weights layer by layer.
     * The caller closes the returned model.
     *
     * @param replacements new values by constant name ({@link #graph()} lists the constants), each of the constant's
     *                     shape
     * @throws XaiException {@link ErrorCode#MISSING_CAPABILITY} when the backend cannot, or
     *                      {@link ErrorCode#INVALID_ARGUMENT} for an unknown name or a wrong shape
     */
    default Model withWeights(Map<String, Tensor> replacements) {
        throw new XaiException(ErrorCode.MISSING_CAPABILITY, "the " + info().backend() + " backend cannot replace a "
                + "model's weights in memory; the randomisation check (mprt) needs an ONNX model");
    }

    /** Where the model came from and its SHA-256, for provenance. */
    ModelInfo info();

    @Override
    void close();
}
