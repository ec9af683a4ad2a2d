package io.xai4j.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetResolverTest {
    /** Two examples, five classes: example 0 is best at class 1 then 3; example 1 at class 4 then 0. */
    private static final Tensor LOGITS = Tensor.of(new float[] {
        0.1f, 2.0f, -1f, 1.5f, 0.3f,
        0.9f, -3f, 0.2f, 0.4f, 5.0f}, 2, 5);
    /** Two examples of a [T=3, C=2] sequence output. */
    private static final Tensor SEQUENCE = Tensor.of(new float[] {
        1, 2, 3, 4, 5, 6,
        7, 8, 9, 10, 11, 12}, 2, 3, 2);
    private static final ModelSignature SIGNATURE = new ModelSignature(
            List.of(spec("x", Dim.symbolic("batch"), Dim.fixed(4))),
            List.of(spec("logits", Dim.symbolic("batch"), Dim.fixed(5)),
                    spec("seq", Dim.symbolic("batch"), Dim.fixed(3), Dim.fixed(2))));
    private static final Map<String, Tensor> OUTPUTS = Map.of("logits", LOGITS, "seq", SEQUENCE);

    private static TensorSpec spec(String name, Dim... dims) {
        return new TensorSpec(name, DataType.FLOAT32, List.of(dims));
    }

    private static ResolvedTarget single(String spec) {
        List<ResolvedTarget> resolved = TargetResolver.resolve(TargetParser.parse(spec), SIGNATURE, OUTPUTS);
        assertThat(resolved).hasSize(1);
        return resolved.get(0);
    }

    @Test
    void classIndexOnFirstOutput() {
        ResolvedTarget t = single("3");
        assertThat(t.output()).isEqualTo("logits");
        assertThat(t.indices()).containsExactly(new int[] {3}, new int[] {3});
        assertThat(t.labels()).containsExactly("class 3", "class 3");
        assertThat(t.score(LOGITS.row(0), 0)).isEqualTo(1.5f);
        assertThat(t.score(LOGITS.row(1), 1)).isEqualTo(0.4f);
    }

    @Test
    void aStepMatrixHasOneRowPerExampleAndStep() {
        ResolvedTarget rows = TargetResolver.resolveSteps(new Target.Matrix("seq", 1), SIGNATURE, OUTPUTS, List.of());
        assertThat(rows.examples()).isEqualTo(6);
        assertThat(rows.indices()).containsExactly(new int[] {1}, new int[] {3}, new int[] {5}, new int[] {1},
                new int[] {3}, new int[] {5});
        assertThat(rows.labels().get(4)).isEqualTo("class 1 at step t=1");
        ResolvedTarget declared = TargetResolver.resolveSteps(new Target.Matrix("seq", 1), SIGNATURE, 2, List.of());
        assertThat(declared.indices()).containsExactlyElementsOf(rows.indices());
        assertThat(declared.labels()).isEqualTo(rows.labels());
        assertThatThrownBy(() -> TargetResolver.resolveSteps(new Target.Matrix(null, 1), SIGNATURE, OUTPUTS, List.of()))
                .isInstanceOf(XaiException.class).hasMessageContaining("needs a per-step output [N,T,C]")
                .hasMessageContaining("[2, 5]");
        assertThatThrownBy(() -> TargetResolver.resolveSteps(new Target.Matrix("seq", 2), SIGNATURE, OUTPUTS,
                List.of()))
                .hasMessageContaining("valid: matrix:0..matrix:1");
        assertThatThrownBy(() -> single("seq:matrix:1")).hasMessageContaining("resolveSteps");
    }

    @Test
    void classIndexOnASequenceReadsTheLastStepAndSaysSo() {
        ResolvedTarget t = single("seq:1");
        assertThat(t.indices().get(0)).containsExactly(5);
        assertThat(t.labels().get(0)).isEqualTo("class 1 at the last step (t=2)");
        assertThat(t.score(SEQUENCE.row(1), 1)).isEqualTo(12);
        ResolvedTarget summed = single("seq[:,1]");
        assertThat(summed.score(SEQUENCE.row(0), 0)).isEqualTo(2 + 4 + 6);
        assertThat(single("seq[-1,1]").indices().get(0)).containsExactly(5);
    }

    @Test
    void classNamesEnrichLabels() {
        List<String> names = List.of("circle", "square", "triangle", "star", "hexagon");
        ResolvedTarget t = TargetResolver.resolve(new Target.ClassIndex(null, 2), SIGNATURE, OUTPUTS, names).get(0);
        assertThat(t.labels()).containsExactly("class 2 (triangle)", "class 2 (triangle)");
        ResolvedTarget p = TargetResolver.resolve(new Target.Predicted(null), SIGNATURE, OUTPUTS, names).get(0);
        assertThat(p.labels()).containsExactly("top-1 (class 1, square)", "top-1 (class 4, hexagon)");
    }

    @Test
    void predictedIsTheArgMaxOfEachExample() {
        ResolvedTarget t = single("top1");
        assertThat(t.indices()).containsExactly(new int[] {1}, new int[] {4});
        assertThat(t.labels()).containsExactly("top-1 (class 1)", "top-1 (class 4)");
    }

    @Test
    void predictedOnASequenceIsTheTopClassOfTheLastStep() {
        Tensor seq = Tensor.of(new float[] {9, 0, 0, 1, 2, 1}, 1, 3, 2);   // step 0 holds the largest value
        ResolvedTarget t = TargetResolver.resolve(TargetParser.parse("seq:top1"), SIGNATURE,
                Map.of("logits", LOGITS, "seq", seq)).get(0);
        assertThat(t.indices()).containsExactly(new int[] {4});
        assertThat(t.labels()).containsExactly("top-1 (class 0, at the last step t=2)");
        List<ResolvedTarget> top = TargetResolver.resolve(TargetParser.parse("seq:top:2"), SIGNATURE, OUTPUTS);
        assertThat(top.get(1).indices().get(0)).containsExactly(4);
        assertThatThrownBy(() -> TargetResolver.resolve(TargetParser.parse("seq:top:3"), SIGNATURE, OUTPUTS))
                .hasMessageContaining("only 2");
    }

    @Test
    void topKGivesOneResolvedTargetPerRank() {
        List<ResolvedTarget> top = TargetResolver.resolve(TargetParser.parse("top:3"), SIGNATURE, OUTPUTS);
        assertThat(top).hasSize(3);
        assertThat(top.get(0).indices()).containsExactly(new int[] {1}, new int[] {4});
        assertThat(top.get(1).indices()).containsExactly(new int[] {3}, new int[] {0});
        assertThat(top.get(2).indices()).containsExactly(new int[] {4}, new int[] {3});
        assertThat(top.get(1).labels()).containsExactly("top-2 (class 3)", "top-2 (class 0)");
    }

    @Test
    void topIndicesBreakTiesByIndexAndRankNaNLast() {
        Tensor row = Tensor.of(new float[] {Float.NaN, 1f, 3f, 1f, 3f, -2f}, 6);
        assertThat(TargetResolver.topIndices(row, 6)).containsExactly(2, 4, 1, 3, 5, 0);
        assertThat(TargetResolver.topIndices(row, 2)).containsExactly(2, 4);
    }

    @Test
    void topKLargerThanTheRowIsRejected() {
        assertThatThrownBy(() -> TargetResolver.resolve(new Target.TopK(null, 6), SIGNATURE, OUTPUTS))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TARGET))
                .hasMessageContaining("top 6").hasMessageContaining("only 5").hasMessageContaining("top:1..top:5");
    }

    @Test
    void sliceSumsTheBox() {
        ResolvedTarget t = single("seq[0:2,1]");
        assertThat(t.indices().get(0)).containsExactly(1, 3);
        assertThat(t.labels().get(0)).isEqualTo("seq[0:2,1]");
        assertThat(t.score(SEQUENCE.row(1), 1)).isEqualTo(8 + 10);
    }

    @Test
    void sliceWithFewerRangesCoversTheRemainingAxes() {
        ResolvedTarget t = single("seq[1:]");
        assertThat(t.indices().get(0)).containsExactly(2, 3, 4, 5);
        ResolvedTarget all = single("seq[:, :]");
        assertThat(all.indices().get(0)).containsExactly(0, 1, 2, 3, 4, 5);
        ResolvedTarget unnamed = single("[2:4]");
        assertThat(unnamed.output()).isEqualTo("logits");
        assertThat(unnamed.indices().get(1)).containsExactly(2, 3);
        assertThat(unnamed.labels().get(1)).isEqualTo("logits[2:4]");
    }

    @Test
    void sliceOutOfBoundsOrTooManyRangesIsRejected() {
        assertThatThrownBy(() -> single("seq[0:4]")).isInstanceOf(XaiException.class)
                .hasMessageContaining("range 0:4 on non-batch axis 0 of output 'seq' [3, 2] is out of bounds")
                .hasMessageContaining("valid indices 0..2");
        assertThatThrownBy(() -> single("seq[3]")).hasMessageContaining("out of bounds");
        assertThatThrownBy(() -> single("seq[0,0,0]")).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TARGET))
                .hasMessageContaining("gives 3 ranges").hasMessageContaining("2 non-batch axes [3, 2]");
    }

    @Test
    void perExampleResolvesEachExampleOnItsOwnRow() {
        ResolvedTarget t = single("2;top1");
        assertThat(t.indices()).containsExactly(new int[] {2}, new int[] {4});
        assertThat(t.labels()).containsExactly("class 2", "top-1 (class 4)");
        assertThat(t.score(LOGITS.row(0), 0)).isEqualTo(-1f);
        assertThat(t.score(LOGITS.row(1), 1)).isEqualTo(5f);
    }

    @Test
    void perExampleCountMustMatchTheBatch() {
        assertThatThrownBy(() -> single("1;2;3")).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("give 3 targets, but the batch has 2 examples");
        assertThatThrownBy(() -> single("1;seq:1")).hasMessageContaining("must all read one output");
    }

    @Test
    void unknownOutputListsTheModelOutputs() {
        assertThatThrownBy(() -> single("probs:1")).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TARGET))
                .hasMessageContaining("names output 'probs'")
                .hasMessageContaining("'logits' [batch,5], 'seq' [batch,3,2]");
    }

    @Test
    void classOutOfRangeNamesTheValidRange() {
        assertThatThrownBy(() -> single("7")).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TARGET))
                .hasMessage("class 7 is out of range for output 'logits' with 5 classes (valid: 0..4)");
        assertThatThrownBy(() -> single("seq:2")).hasMessageContaining("with 2 classes (valid: 0..1)");
    }

    @Test
    void seedMarksTheTargetIndicesPerExample() {
        ResolvedTarget t = single("seq[:,0];seq[:,1]");
        Tensor seed = t.seed(SEQUENCE.shape());
        assertThat(seed.toArray()).containsExactly(1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1);
        assertThat(single("seq:0;seq:1").seed(SEQUENCE.shape()).toArray())
                .containsExactly(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1);
        Tensor swapped = t.seed(SEQUENCE.shape(), new int[] {1, 1});
        assertThat(swapped.toArray()).containsExactly(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
    }

    @Test
    void scoresMapRowsToTheirExamples() {
        ResolvedTarget t = single("1;0");
        Tensor batch = Tensor.of(new float[] {0, 10, 20, 30, 40, 1, 11, 21, 31, 41, 2, 12, 22, 32, 42}, 3, 5);
        assertThat(t.scores(batch, new int[] {0, 0, 1})).containsExactly(10f, 11f, 2f);
        assertThat(t.forExample(1).indices()).containsExactly(new int[] {0});
    }

    @Test
    void resolvingLeavesTheOutputsUnchanged() {
        float[] before = LOGITS.toArray();
        TargetResolver.resolve(new Target.TopK(null, 5), SIGNATURE, OUTPUTS);
        assertThat(LOGITS.toArray()).containsExactly(before);
    }

    @Test
    void onlyTopTargetsAndUndeclaredShapesNeedTheOutputs() {
        for (String spec : List.of("3", "seq:1", "seq[0:2,1]", "1;0", "logits:2")) {
            assertThat(TargetResolver.needsOutputs(TargetParser.parse(spec), SIGNATURE)).as(spec).isFalse();
        }
        for (String spec : List.of("top1", "top:2", "seq:top1", "2;top1")) {
            assertThat(TargetResolver.needsOutputs(TargetParser.parse(spec), SIGNATURE)).as(spec).isTrue();
        }
        ModelSignature symbolic = new ModelSignature(SIGNATURE.inputs(),
                List.of(spec("tokens", Dim.symbolic("batch"), Dim.symbolic("time"), Dim.fixed(2))));
        assertThat(TargetResolver.needsOutputs(TargetParser.parse("1"), symbolic)).isTrue();
        assertThatThrownBy(() -> TargetResolver.resolve(TargetParser.parse("top1"), SIGNATURE, 2, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void declaredShapesResolveAsTheOutputsDo() {
        for (String spec : List.of("3", "seq:1", "seq[0:2,1]", "seq[1]", "1;0", "seq:0;seq:1")) {
            ResolvedTarget fromShapes = TargetResolver.resolve(TargetParser.parse(spec), SIGNATURE, 2, List.of("a"))
                    .get(0);
            ResolvedTarget fromOutputs = TargetResolver.resolve(TargetParser.parse(spec), SIGNATURE, OUTPUTS,
                    List.of("a")).get(0);
            assertThat(fromShapes.output()).as(spec).isEqualTo(fromOutputs.output());
            assertThat(fromShapes.indices()).as(spec).containsExactlyElementsOf(fromOutputs.indices());
            assertThat(fromShapes.labels()).as(spec).isEqualTo(fromOutputs.labels());
        }
        for (String spec : List.of("7", "seq[0:4]", "1;2;3", "probs:1")) {
            assertThatThrownBy(() -> TargetResolver.resolve(TargetParser.parse(spec), SIGNATURE, 2, List.of()))
                    .as(spec).isInstanceOf(XaiException.class).hasMessage(catchMessage(() -> single(spec)));
        }
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (XaiException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error");
    }
}
