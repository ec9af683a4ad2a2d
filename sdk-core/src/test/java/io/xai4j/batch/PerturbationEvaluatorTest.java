package io.xai4j.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PerturbationEvaluatorTest {
    private static final float[][] W = {{1, 2, 3, 4}, {-1, 0.5f, 2, -3}};
    private static final ResolvedTarget CLASS_1 = new ResolvedTarget("y", List.of(new int[] {1}), List.of("class 1"));

    /** y[n,k] = scale[n] * sum_j W[k][j] x[n,j]; records every call. */
    static final class ScaledLinear implements Model {
        final List<Integer> batchSizes = new ArrayList<>();
        final List<float[]> inputArrays = new ArrayList<>();
        int wrongBatch = 0;

        public ModelSignature signature() {
            return new ModelSignature(
                    List.of(new TensorSpec("x", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(4))),
                            new TensorSpec("scale", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(1)))),
                    List.of(new TensorSpec("y", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(2)))));
        }

        public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
            Tensor x = inputs.get("x");
            Tensor scale = inputs.get("scale");
            assertThat(x.isCompact()).as("batch input is compact").isTrue();
            assertThat(scale.isCompact()).as("replicated input is compact").isTrue();
            assertThat(outputs).containsExactly("y");
            int n = x.dim(0);
            assertThat(scale.dim(0)).isEqualTo(n);
            batchSizes.add(n);
            inputArrays.add(x.array());
            Tensor y = Tensor.zeros(n + wrongBatch, 2);
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < 2; k++) {
                    float s = 0;
                    for (int j = 0; j < 4; j++) {
                        s += W[k][j] * x.at(r, j);
                    }
                    y.set(r * 2 + k, scale.at(r, 0) * s);
                }
            }
            return Map.of("y", y);
        }

        public Set<ModelCapability> capabilities() {
            return Set.of(ModelCapability.DYNAMIC_BATCH);
        }

        public ModelInfo info() {
            return new ModelInfo("scaled-linear", "0", "java", "cpu");
        }

        public void close() {
        }
    }

    private final ScaledLinear model = new ScaledLinear();
    private final Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
    private final Tensor scale = Tensor.of(new float[] {2}, 1, 1);

    private PerturbationEvaluator evaluator(Batcher batcher) {
        return new PerturbationEvaluator(model, batcher, Map.of("x", x, "scale", scale), "x", CLASS_1);
    }

    private static float classOne(float[] row, float scale) {
        float s = 0;
        for (int j = 0; j < 4; j++) {
            s += W[1][j] * row[j];
        }
        return scale * s;
    }

    /** Perturbation i zeroes element i % 4 and adds i to element 0. */
    private static void perturb(int i, Tensor row) {
        row.set(i % 4, 0);
        row.set(0, row.get(0) + i);
    }

    @Test
    void scoresEveryPerturbationInBatches() {
        PerturbationEvaluator evaluator = evaluator(new Batcher(3, Long.MAX_VALUE, null));

        float[] scores = evaluator.evaluate("test", 7, PerturbationEvaluatorTest::perturb);

        for (int i = 0; i < 7; i++) {
            float[] row = {1, 2, 3, 4};
            perturb(i, Tensor.of(row, 4));
            assertThat(scores[i]).as("score %d", i).isEqualTo(classOne(row, 2));
        }
        assertThat(model.batchSizes).containsExactly(3, 3, 1);
        assertThat(evaluator.forwardCalls()).isEqualTo(3);
        assertThat(evaluator.evaluations()).isEqualTo(7);
    }

    @Test
    void reusesTheBatchBufferAcrossBatchesOfTheSameSize() {
        evaluator(new Batcher(2, Long.MAX_VALUE, null)).evaluate("test", 6, PerturbationEvaluatorTest::perturb);

        assertThat(model.inputArrays).hasSize(3);
        assertThat(model.inputArrays.get(1)).isSameAs(model.inputArrays.get(0));
        assertThat(model.inputArrays.get(2)).isSameAs(model.inputArrays.get(0));
    }

    @Test
    void rowsStartAsTheUnperturbedExample() {
        List<float[]> seen = new ArrayList<>();
        evaluator(new Batcher(2, Long.MAX_VALUE, null)).evaluate("test", 4, (i, row) -> {
            seen.add(row.toArray());
            row.set(0, 100 + i);
        });

        assertThat(seen).allSatisfy(row -> assertThat(row).containsExactly(1, 2, 3, 4));
        assertThat(x.toArray()).as("the example is not modified").containsExactly(1, 2, 3, 4);
    }

    @Test
    void memoryBudgetBoundsTheBatch() {
        // one item: 4 + 1 input floats and 2 output floats = 28 bytes
        PerturbationEvaluator evaluator = evaluator(new Batcher(64, 60, null));
        assertThat(evaluator.bytesPerItem()).isEqualTo(28);

        evaluator.evaluate("test", 5, PerturbationEvaluatorTest::perturb);

        assertThat(model.batchSizes).containsExactly(2, 2, 1);
    }

    @Test
    void scoresTheOriginalExample() {
        PerturbationEvaluator evaluator = evaluator(Batcher.defaults());

        assertThat(evaluator.scoreOriginal()).isEqualTo(classOne(new float[] {1, 2, 3, 4}, 2));
        assertThat(model.batchSizes).containsExactly(1);
    }

    @Test
    void reportsProgressToTheBatchersListener() {
        List<String> events = new ArrayList<>();
        Batcher batcher = new Batcher(4, Long.MAX_VALUE, (task, done, total) -> events.add(task + ":" + done + "/" + total));

        evaluator(batcher).evaluate("rise", 10, PerturbationEvaluatorTest::perturb);

        assertThat(events).containsExactly("rise:0/10", "rise:4/10", "rise:8/10", "rise:10/10");
    }

    @Test
    void rejectsAModelThatReturnsTheWrongBatch() {
        model.wrongBatch = 1;

        assertThatThrownBy(() -> evaluator(Batcher.defaults()).evaluate("test", 3, PerturbationEvaluatorTest::perturb))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_EXECUTION))
                .hasMessageContaining("shape [4, 2]").hasMessageContaining("expected a batch of 3");
    }

    @Test
    void rejectsInputsThatAreNotABatchOfOne() {
        Tensor two = Tensor.zeros(2, 4);

        assertThatThrownBy(() -> new PerturbationEvaluator(model, Batcher.defaults(), Map.of("x", two, "scale", scale),
                "x", CLASS_1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch of one");
    }
}
