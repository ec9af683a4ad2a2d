package io.xai4j.onnx;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelSignature;
import io.xai4j.tensor.Tensor;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The part of an ONNX model downstream of one of its tensors ({@link TailGraph}), in its own session. When the whole
 * model runs in chunks of its fixed batch, so does its tail.
 */
final class TailModel implements Model {
    private final OrtRunner runner;
    private final ModelSignature signature;
    private final ModelInfo info;
    private final int chunk;

    /** @param chunk the fixed batch to run rows in, or 0 for any batch in one call */
    TailModel(OrtRunner runner, ModelInfo info, int chunk) {
        this.runner = runner;
        this.signature = new ModelSignature(runner.inputs(), runner.outputs());
        this.info = info;
        this.chunk = chunk;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
        if (outputs == null || outputs.isEmpty() || !signature.outputNames().containsAll(outputs)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "the outputs of " + info.source() + " are "
                    + signature.outputNames() + ", got " + outputs);
        }
        if (chunk == 0) {
            return runner.run(inputs, outputs);
        }
        return FixedBatches.forward(inputs, chunk, rows -> runner.run(rows, outputs));
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return chunk > 0 ? EnumSet.noneOf(ModelCapability.class) : EnumSet.of(ModelCapability.DYNAMIC_BATCH);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public void close() {
        runner.close();
    }
}
