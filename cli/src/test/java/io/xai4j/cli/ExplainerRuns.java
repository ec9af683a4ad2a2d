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
import io.xai4j.onnx.OnnxModel;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs exported explainer models in fresh ONNX Runtime sessions and compares them with the Explainer. */
final class ExplainerRuns {
    /** The exported model's targets for the three examples: the predicted class, class 1 and class 3. */
    private static final long[] THREE_TARGETS = {-1, 1, 3};

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

    /** Three seeded examples of the model's first input, for the targets of {@link #agreement}. */
    static Tensor threeExamples(OnnxModel model, long seed) {
        String input = model.signature().firstInput().name();
        int[] shape = model.unitInputShapes().get(input);
        shape[0] = THREE_TARGETS.length;
        return TestTensors.random(seed, shape);
    }

    /** The exported model's outputs and the Explainer's explanation of the same examples. */
    record Agreement(Map<String, Tensor> exported, Explanation expected) {
    }

    /**
     * Runs the exported model {@code file} and the Explainer on {@code x} (the model's first input, with three
     * examples) for the predicted class, class 1 and class 3, and checks that their attributions agree to
     * {@code maxError}; {@code extraInputs} are fed to the exported model only (noise, path positions).
     */
    static Agreement agreement(OnnxModel model, Path file, String method, Map<String, String> parameters,
            Tensor x, Map<String, Tensor> extraInputs, double maxError) throws Exception {
        String input = model.signature().firstInput().name();
        Map<String, Tensor> feed = new HashMap<>(extraInputs);
        feed.put(input, x);
        Map<String, Tensor> exported = run(file, feed, THREE_TARGETS);
        Explanation expected = explain(model, Map.of(input, x), method, parameters, null, "top1;1;3");
        assertThat(maxRelativeError(exported.get("attribution"), expected.attribution())).isLessThan(maxError);
        return new Agreement(exported, expected);
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
