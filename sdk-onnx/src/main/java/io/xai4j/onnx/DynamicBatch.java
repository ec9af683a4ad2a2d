package io.xai4j.onnx;

import io.xai4j.error.XaiException;
import io.xai4j.onnx.OnnxModel.BatchMode;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.spi.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decides how a model handles batches, making a fixed batch of 1 dynamic when a verified rewrite allows it. */
final class DynamicBatch {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatch.class);

    /** Receives the chosen model proto, its session and the batch mode. */
    interface Outcome<T> {
        T accept(ModelProto working, OrtRunner runner, BatchMode mode);
    }

    private DynamicBatch() {
    }

    /**
     * Chooses the batch mode. {@code original} is the session of the unmodified model; it is either handed on
     * or closed here when a verified rewrite replaces it.
     */
    static <T> T prepare(ModelProto proto, OrtRunner original, SessionFactory factory, String source,
                         Outcome<T> outcome) {
        List<TensorSpec> inputs = original.inputs();
        if (inputs.isEmpty() || inputs.get(0).rank() == 0) {
            return outcome.accept(proto, original, BatchMode.FIXED);
        }
        if (!inputs.get(0).shape().get(0).isFixed()) {
            return outcome.accept(proto, original, BatchMode.DYNAMIC);
        }
        if (inputs.get(0).shape().get(0).size() != 1 || !BatchRewriter.hasFixedBatchOfOne(proto)) {
            return outcome.accept(proto, original, BatchMode.FIXED);
        }
        List<String> reasons = new ArrayList<>();
        for (boolean fixBroadcasts : new boolean[] {false, true}) {
            ModelProto rewritten;
            OrtRunner runner = null;
            try {
                rewritten = BatchRewriter.rewrite(proto, fixBroadcasts);
                runner = factory.open(rewritten.toByteArray(), "the batch-dynamic copy of " + source);
                String problem = BatchVerifier.disagreement(runner, original);
                if (problem == null) {
                    T result = outcome.accept(rewritten, runner, BatchMode.REWRITTEN);
                    runner = null;
                    original.close();
                    return result;
                }
                reasons.add(problem);
            } catch (XaiException e) {
                reasons.add(e.getMessage());
            } finally {
                if (runner != null) {
                    runner.close();
                }
            }
        }
        LOG.warn("model {} has a fixed batch of 1 and could not be made batch-dynamic ({}); batches will run one"
                + " row at a time", source, String.join("; then, with broadcast shapes fixed: ", reasons));
        return outcome.accept(proto, original, BatchMode.SEQUENTIAL);
    }
}
