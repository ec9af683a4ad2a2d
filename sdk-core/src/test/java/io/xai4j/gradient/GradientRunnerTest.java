package io.xai4j.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.batch.Batcher;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GradientRunnerTest {
    /**
     * {@code y[n,k] = s[n] * sum_j W[k][j] x[n,j]^2}: its gradient is {@code 2 s W[k][j] x_j} per seeded class.
     * Also returns {@code a = x + 1} as the activation "a" and, when {@code seededLogits}, twice the output as
     * the seeded tensor.
     */
    private static final class SquareModel implements Model, GradientEngine {
        final float[][] w = {{1, 2, 3}, {-1, 0.5f, 2}};
        final List<Integer> batches = new ArrayList<>();
        final List<Tensor> seeds = new ArrayList<>();
        boolean symbolicOutput;
        boolean engine = true;
        boolean seededLogits;
        long rowBytes;
        int forwardCalls;

        @Override
        public ModelSignature signature() {
            return new ModelSignature(List.of(
                    new TensorSpec("x", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(3))),
                    new TensorSpec("s", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(1)))),
                    List.of(new TensorSpec("y", DataType.FLOAT32,
                            List.of(Dim.symbolic("N"), symbolicOutput ? Dim.symbolic("K") : Dim.fixed(2)))));
        }

        @Override
        public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
            forwardCalls++;
            return Map.of("y", y(inputs));
        }

        private Tensor y(Map<String, Tensor> in) {
            Tensor x = in.get("x");
            int n = x.dim(0);
            Tensor y = Tensor.zeros(n, 2);
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < 2; k++) {
                    float sum = 0;
                    for (int j = 0; j < 3; j++) {
                        sum += w[k][j] * x.at(r, j) * x.at(r, j);
                    }
                    y.set(r * 2 + k, sum * in.get("s").at(r, 0));
                }
            }
            return y;
        }

        @Override
        public GradientResult vjp(GradientRequest request) {
            Tensor x = request.inputs().get("x");
            int n = x.dim(0);
            batches.add(n);
            seeds.add(request.seed().copy());
            Tensor grad = Tensor.zeros(n, 3);
            Tensor act = Tensor.zeros(n, 3);
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < 3; j++) {
                    float g = 0;
                    for (int k = 0; k < 2; k++) {
                        g += request.seed().at(r, k) * 2 * w[k][j] * x.at(r, j);
                    }
                    grad.set(r * 3 + j, g * request.inputs().get("s").at(r, 0));
                    act.set(r * 3 + j, x.at(r, j) + 1);
                }
            }
            Tensor y = y(request.inputs());
            Map<String, Tensor> outputs = new HashMap<>(Map.of("y", y));
            if (seededLogits) {
                Tensor twice = y.copy();
                for (int i = 0; i < twice.size(); i++) {
                    twice.set(i, 2 * y.get(i));
                }
                outputs.put(GradientResult.SEEDED_OUTPUT, twice);
            }
            return new GradientResult(outputs, request.activations().contains("a") ? Map.of("a", act) : Map.of(),
                    request.wrt().contains("x") ? Map.of("x", grad) : Map.of());
        }

        @Override
        public long bytesPerRow(GradientRequest request) {
            return rowBytes;
        }

        @Override
        public Set<ModelCapability> capabilities() {
            return engine ? Set.of(ModelCapability.GRADIENTS) : Set.of();
        }

        @Override
        public Optional<GradientEngine> gradients() {
            return engine ? Optional.of(this) : Optional.empty();
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("square", "0", "java", "cpu");
        }

        @Override
        public void close() {
        }
    }

    private final SquareModel model = new SquareModel();
    /** Example 0 targets class 1, example 1 targets both classes. */
    private final ResolvedTarget target = new ResolvedTarget("y", List.of(new int[] {1}, new int[] {0, 1}),
            List.of("class 1", "classes 0 and 1"));
    private final Tensor x = Tensor.of(new float[] {1, 2, 3, -1, 0.5f, 2, 0, 1, -2, 4, 1, 1, 2, 2, 2}, 5, 3);
    private final int[] exampleOf = {0, 1, 1, 0, 1};
    private final Tensor s = Tensor.of(new float[] {1, 2, 2, 1, 2}, 5, 1);

    private GradientRunner runner(int maxBatch) {
        return GradientRunner.create(new AttributionContext(model, Batcher.defaults().withMaxBatchSize(maxBatch), 0),
                "test-method", target);
    }

    private float expectedGradient(int row, int j) {
        float g = 0;
        for (int k : target.indices().get(exampleOf[row])) {
            g += 2 * model.w[k][j] * x.at(row, j);
        }
        return g * s.at(row, 0);
    }

    @Test
    void runSeedsEachRowWithItsExampleTargetAndConcatenatesBatches() {
        for (int batch = 1; batch <= 5; batch++) {
            model.batches.clear();
            GradientRunner runner = runner(batch);
            GradientBatch all = runner.run("test", Map.of("x", x, "s", s), exampleOf,
                    GradientQuery.wrt("x").withActivations("a"));
            assertThat(model.batches).hasSize((5 + batch - 1) / batch);
            assertThat(runner.engineCalls()).isEqualTo(model.batches.size());
            assertThat(runner.rowsEvaluated()).isEqualTo(5);
            assertThat(all.gradient("x").shape()).containsExactly(5, 3);
            assertThat(all.output().shape()).containsExactly(5, 2);
            for (int r = 0; r < 5; r++) {
                float score = 0;
                for (int k : target.indices().get(exampleOf[r])) {
                    score += all.output().at(r, k);
                }
                assertThat(all.scores()[r]).isEqualTo(score);
                for (int j = 0; j < 3; j++) {
                    assertThat(all.gradient("x").at(r, j)).isEqualTo(expectedGradient(r, j));
                    assertThat(all.activation("a").at(r, j)).isEqualTo(x.at(r, j) + 1);
                }
            }
        }
        assertThat(model.forwardCalls).isZero();
    }

    @Test
    void whatTheEngineKeepsPerRowCountsAgainstTheMemoryBudget() {
        // per row: x, its gradient and s (7 floats) and y (2 floats), plus what the engine reports
        long own = Float.BYTES * (3 * 2 + 1 * 2 + 2);
        model.rowBytes = 1000 - own;
        GradientRunner runner = GradientRunner.create(new AttributionContext(model, new Batcher(64, 2000, null), 0),
                "test-method", target);
        runner.run("test", Map.of("x", x, "s", s), exampleOf, GradientQuery.wrt("x"));
        assertThat(model.batches).containsExactly(2, 2, 1);
    }

    @Test
    void streamGeneratesRowsAndCopiesOtherInputsFromTheirExample() {
        Map<String, Tensor> examples = Map.of("x", Tensor.zeros(2, 3), "s", Tensor.of(new float[] {1, 2}, 2, 1));
        Tensor gradients = Tensor.zeros(5, 3);
        List<Integer> starts = new ArrayList<>();
        runner(2).stream("test", examples, "x", exampleOf, GradientQuery.wrt("x"),
                (start, end, rows) -> rows.copyFrom(x.rows(start, end)), batch -> {
                    starts.add(batch.start());
                    gradients.rows(batch.start(), batch.start() + batch.size()).copyFrom(batch.gradient("x"));
                });
        assertThat(starts).containsExactly(0, 2, 4);
        for (int r = 0; r < 5; r++) {
            for (int j = 0; j < 3; j++) {
                assertThat(gradients.at(r, j)).isEqualTo(expectedGradient(r, j));
            }
        }
        assertThat(examples.get("x")).isEqualTo(Tensor.zeros(2, 3));
    }

    @Test
    void groupsOfRowsNeverSpanTwoBatches() {
        Map<String, Tensor> examples = Map.of("x", Tensor.zeros(2, 3), "s", Tensor.of(new float[] {1, 2}, 2, 1));
        int[] sixRows = {0, 0, 1, 1, 0, 1};
        model.batches.clear();
        runner(5).stream("test", examples, "x", sixRows, 2, GradientQuery.wrt("x"),
                (start, end, rows) -> assertThat(start % 2).isZero(), batch -> { });
        assertThat(model.batches).containsExactly(4, 2);
        assertThatThrownBy(() -> runner(5).stream("test", examples, "x", exampleOf, 2, GradientQuery.wrt("x"),
                (start, end, rows) -> { }, batch -> { })).hasMessageContaining("5 rows do not form groups of 2");
    }

    @Test
    void aSymbolicOutputShapeIsLearnedWithOneForwardPass() {
        model.symbolicOutput = true;
        GradientRunner runner = runner(2);
        runner.run("test", Map.of("x", x, "s", s), exampleOf, GradientQuery.wrt("x"));
        runner.run("test", Map.of("x", x, "s", s), exampleOf, GradientQuery.wrt("x"));
        assertThat(model.forwardCalls).isEqualTo(1);
        assertThat(model.seeds.get(0).shape()).containsExactly(2, 2);
        assertThat(model.seeds.get(1).toArray()).containsExactly(1, 1, 0, 1);
    }

    @Test
    void scoresReferToTheSeededTensorWhenTheEngineReportsIt() {
        model.seededLogits = true;
        GradientBatch all = runner(64).run("test", Map.of("x", x, "s", s), exampleOf, GradientQuery.wrt("x"));
        assertThat(all.scores()[0]).isEqualTo(2 * all.output().at(0, 1));
    }

    @Test
    void missingEngineOrGradientIsReported() {
        model.engine = false;
        assertThatThrownBy(() -> runner(4))
                .isInstanceOfSatisfying(XaiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_CAPABILITY))
                .hasMessageContaining("'test-method'");
        model.engine = true;
        assertThatThrownBy(() -> runner(4).run("test", Map.of("x", x, "s", s), exampleOf,
                new GradientQuery(Set.of("x", "h"), Set.of(), GradientRequest.EXACT, false)))
                .isInstanceOfSatisfying(XaiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_EXECUTION))
                .hasMessageContaining("'h'").hasMessageContaining("[x]");
    }

    @Test
    void rowsOfUnknownExamplesAreRejected() {
        assertThatThrownBy(() -> runner(4).run("test", Map.of("x", x, "s", s), new int[] {0, 1, 2, 0, 1},
                GradientQuery.wrt("x"))).hasMessageContaining("example 2");
    }
}
