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
 * model could not run batches in one call, neither can its tail: rows then run one at a time.
 */
final class TailModel implements Model {
    private final OrtRunner runner;
    private final ModelSignature signature;
    private final ModelInfo info;
    private final boolean rowByRow;

    TailModel(OrtRunner runner, ModelInfo info, boolean rowByRow) {
        this.runner = runner;
        this.signature = new ModelSignature(runner.inputs(), runner.outputs());
        this.info = info;
        this.rowByRow = rowByRow;
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
        Tensor first = inputs.values().iterator().next();
        if (!rowByRow || first.dim(0) <= 1) {
            return runner.run(inputs, outputs);
        }
        return RowByRow.forward(inputs, first.dim(0), row -> runner.run(row, outputs));
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return rowByRow ? EnumSet.noneOf(ModelCapability.class) : EnumSet.of(ModelCapability.DYNAMIC_BATCH);
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
