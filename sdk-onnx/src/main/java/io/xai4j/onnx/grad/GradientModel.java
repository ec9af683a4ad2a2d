package io.xai4j.onnx.grad;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model extended with a backward pass, as made by {@link GradientGraphBuilder}.
 *
 * <p>Naming: the extra graph input {@link #seedInput()} (normally {@code seed}) takes the cotangent of
 * {@link #seededTensor()}; each gradient is the graph output {@code grad:<tensor>}; each activation is the
 * graph output of the same name as the tensor (or {@code act:<tensor>} for model inputs). The maps below
 * give the graph output name per requested tensor.
 *
 * @param model                the ONNX model (default-domain opset at least 18)
 * @param differentiatedOutput the model output that was asked for
 * @param seededTensor         the tensor the seed is the cotangent of: the output, or the logits before a
 *                             trailing Softmax/LogSoftmax
 * @param seedInput            the graph input name of the seed
 * @param seedShape            the seed's probe shape; {@code seedBatchDependent} marks its symbolic axes
 * @param seedBatchDependent   per seed axis, whether it follows the batch size
 * @param forwardOutputs       the model's own outputs
 * @param activationOutputs    graph output name per requested activation tensor
 * @param gradientOutputs      graph output name per requested tensor to differentiate with respect to
 * @param rowBytes             bytes of the forward tensors that follow the batch, per batch row, at the probe
 *                             shapes: an estimate of the memory one more row takes when the model runs
 */
public record GradientModel(ModelProto model, String differentiatedOutput, String seededTensor, String seedInput,
        int[] seedShape, boolean[] seedBatchDependent, List<String> forwardOutputs,
        Map<String, String> activationOutputs, Map<String, String> gradientOutputs, long rowBytes) {
    public GradientModel {
        seedShape = seedShape.clone();
        seedBatchDependent = seedBatchDependent.clone();
        forwardOutputs = List.copyOf(forwardOutputs);
        activationOutputs = Map.copyOf(activationOutputs);
        gradientOutputs = Map.copyOf(gradientOutputs);
    }

    @Override
    public int[] seedShape() {
        return seedShape.clone();
    }

    @Override
    public boolean[] seedBatchDependent() {
        return seedBatchDependent.clone();
    }

    /** The seed shape for a batch of {@code batch} examples. */
    public int[] seedShape(int batch) {
        int[] s = seedShape.clone();
        for (int i = 0; i < s.length; i++) {
            if (seedBatchDependent[i]) {
                s[i] = batch;
            }
        }
        return s;
    }

    public byte[] toByteArray() {
        return model.toByteArray();
    }

    /** Writes the model to {@code file}. */
    public void save(Path file) {
        try {
            Files.write(file, model.toByteArray());
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot write the gradient model to " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
