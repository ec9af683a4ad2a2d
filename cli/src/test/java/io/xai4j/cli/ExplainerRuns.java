package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.explain.Explanation;
import io.xai4j.inject.Xai4j;
import io.xai4j.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs exported explainer models in fresh ONNX Runtime sessions and compares them with the Explainer. */
final class ExplainerRuns {
    private ExplainerRuns() {
    }

    /** Every output of the explainer model {@code file}, as floats (int64 outputs converted), by name. */
    static Map<String, Tensor> run(Path file, Map<String, Tensor> inputs, long[] targets) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                long[] shape = Arrays.stream(e.getValue().shape()).asLongStream().toArray();
                feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().toArray()), shape));
            }
            feed.put("target", OnnxTensor.createTensor(env, LongBuffer.wrap(targets), new long[] {targets.length}));
            Map<String, Tensor> out = new HashMap<>();
            try (OrtSession.Result result = session.run(feed)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    int[] shape = Arrays.stream(t.getInfo().getShape()).mapToInt(d -> (int) d).toArray();
                    float[] values;
                    if (t.getValue() instanceof long[] longs) {
                        values = new float[longs.length];
                        for (int i = 0; i < longs.length; i++) {
                            values[i] = longs[i];
                        }
                    } else {
                        FloatBuffer b = t.getFloatBuffer();
                        values = new float[b.remaining()];
                        b.get(values);
                    }
                    out.put(e.getKey(), Tensor.of(values, shape));
                }
            }
            return out;
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** The Explainer's explanation of {@code inputs} for {@code target} (e.g. {@code top1;3}). */
    static Explanation explain(io.xai4j.spi.Model model, Map<String, Tensor> inputs, String method,
            Map<String, String> parameters, String layer, String target) {
        ExplainOptions.Builder options = ExplainOptions.builder(method).target(target).params(parameters);
        if (layer != null) {
            options.layer(layer);
        }
        List<Explanation> explanations = Xai4j.injector().getInstance(Explainer.class).explain(model, inputs,
                options.build());
        assertThat(explanations).hasSize(1);
        return explanations.get(0);
    }

    /** The largest absolute difference relative to the largest absolute expected value. */
    static double maxRelativeError(Tensor got, Tensor expected) {
        assertThat(got.shape()).containsExactly(expected.shape());
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < expected.size(); i++) {
            scale = Math.max(scale, Math.abs(expected.get(i)));
            diff = Math.max(diff, Math.abs(got.get(i) - expected.get(i)));
        }
        assertThat(scale).as("the expected values are not all zero").isGreaterThan(0);
        return diff / scale;
    }
}
