package io.xai4j.onnx;

import io.xai4j.error.XaiException;
import io.xai4j.onnx.OnnxModel.BatchMode;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.spi.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides how a model handles batches: a fixed batch (of 1 or more rows) is made dynamic when a verified rewrite
 * allows it, else run in chunks of the fixed batch when its rows do not depend on each other.
 */
final class DynamicBatch {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatch.class);

    /** Receives the chosen model proto, its session, the batch mode and the fixed batch (0 for none). */
    interface Outcome<T> {
        T accept(ModelProto working, OrtRunner runner, BatchMode mode, int fixedBatch);
    }

    private DynamicBatch() {
    }

    /** Why the rows of a fixed batch depend on each other, or null when they do not. */
    private static String rowDependence(OrtRunner original, int fixed) {
        try {
            return BatchVerifier.rowDependence(original, fixed);
        } catch (XaiException e) {
            return "the check could not run: " + e.getMessage();
        }
    }

    /**
     * Chooses the batch mode. {@code original} is the session of the unmodified model; it is either handed on
     * or closed here when a verified rewrite replaces it.
     */
    static <T> T prepare(ModelProto proto, OrtRunner original, SessionFactory factory, String source,
                         Outcome<T> outcome) {
        List<TensorSpec> inputs = original.inputs();
        if (inputs.isEmpty() || inputs.get(0).rank() == 0) {
            return outcome.accept(proto, original, BatchMode.FIXED, 0);
        }
        if (!inputs.get(0).shape().get(0).isFixed()) {
            return outcome.accept(proto, original, BatchMode.DYNAMIC, 0);
        }
        int fixed = BatchRewriter.fixedBatch(proto);
        if (fixed < 1 || fixed != inputs.get(0).shape().get(0).size()) {
            return outcome.accept(proto, original, BatchMode.FIXED, (int) inputs.get(0).shape().get(0).size());
        }
        List<String> reasons = new ArrayList<>();
        for (boolean fixBroadcasts : new boolean[] {false, true}) {
            ModelProto rewritten;
            OrtRunner runner = null;
            try {
                rewritten = BatchRewriter.rewrite(proto, fixBroadcasts);
                runner = factory.open(rewritten.toByteArray(), "the batch-dynamic copy of " + source);
                String problem = BatchVerifier.disagreement(runner, original, fixed);
                if (problem == null) {
                    T result = outcome.accept(rewritten, runner, BatchMode.REWRITTEN, fixed);
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
        String dependence = fixed == 1 ? null : rowDependence(original, fixed);
        if (dependence != null) {
            LOG.warn("model {} has a fixed batch of {} whose rows depend on each other ({}); it runs batches of"
                    + " exactly {} rows only", source, fixed, dependence, fixed);
            return outcome.accept(proto, original, BatchMode.FIXED, fixed);
        }
        LOG.warn("model {} has a fixed batch of {} and could not be made batch-dynamic ({}); batches will run in"
                + " chunks of {}", source, fixed, String.join("; then, with broadcast shapes fixed: ", reasons), fixed);
        return outcome.accept(proto, original, BatchMode.SEQUENTIAL, fixed);
    }
}
