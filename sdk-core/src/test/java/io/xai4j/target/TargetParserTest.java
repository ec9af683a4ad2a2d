package io.xai4j.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TargetParserTest {

    @Test
    void parsesClassIndexOfFirstOutput() {
        assertThat(TargetParser.parse("3")).isEqualTo(new Target.ClassIndex(null, 3));
        assertThat(TargetParser.parse(" 12 ")).isEqualTo(new Target.ClassIndex(null, 12));
    }

    @Test
    void parsesPredictedAndTopK() {
        assertThat(TargetParser.parse("top1")).isEqualTo(new Target.Predicted(null));
        assertThat(TargetParser.parse("top:5")).isEqualTo(new Target.TopK(null, 5));
        assertThat(TargetParser.parse("top5")).isEqualTo(new Target.TopK(null, 5));
        assertThat(TargetParser.parse("top:1")).isEqualTo(new Target.TopK(null, 1));
    }

    @Test
    void parsesStepMatrices() {
        assertThat(TargetParser.parse("matrix:3")).isEqualTo(new Target.Matrix(null, 3));
        assertThat(TargetParser.parse("tags:matrix:0")).isEqualTo(new Target.Matrix("tags", 0));
        assertThat(TargetParser.parse(new Target.Matrix("a:b", 2).spec())).isEqualTo(new Target.Matrix("a:b", 2));
        assertThatThrownBy(() -> TargetParser.parse("matrix:3;1")).isInstanceOf(XaiException.class)
                .hasMessageContaining("per-example targets take single targets; 'matrix:3'");
        assertThatThrownBy(() -> TargetParser.parse("matrix:")).hasMessageContaining("matrix:3");
    }

    @Test
    void parsesNamedOutputs() {
        assertThat(TargetParser.parse("exit2:3")).isEqualTo(new Target.ClassIndex("exit2", 3));
        assertThat(TargetParser.parse("exit2:top1")).isEqualTo(new Target.Predicted("exit2"));
        assertThat(TargetParser.parse("exit2:top:5")).isEqualTo(new Target.TopK("exit2", 5));
    }

    @Test
    void outputNamesMayHoldOnnxPunctuationAndColons() {
        assertThat(TargetParser.parse("/layer4/Relu_output_0:7"))
                .isEqualTo(new Target.ClassIndex("/layer4/Relu_output_0", 7));
        assertThat(TargetParser.parse("model.head-1:top:3")).isEqualTo(new Target.TopK("model.head-1", 3));
        assertThat(TargetParser.parse("scope:out:2")).isEqualTo(new Target.ClassIndex("scope:out", 2));
        assertThat(TargetParser.parse("scope:top:top1")).isEqualTo(new Target.Predicted("scope:top"));
        assertThat(TargetParser.parse("atop:1")).isEqualTo(new Target.ClassIndex("atop", 1));
    }

    @Test
    void parsesSlices() {
        assertThat(TargetParser.parse("logits[0:16,3]")).isEqualTo(new Target.Slice("logits",
                List.of(new IndexRange(0, 16), IndexRange.single(3))));
        assertThat(TargetParser.parse("[2:, :4, :, 5]")).isEqualTo(new Target.Slice(null,
                List.of(new IndexRange(2, IndexRange.END), new IndexRange(0, 4), IndexRange.ALL, IndexRange.single(5))));
        assertThat(TargetParser.parse("/dec/out:0[1:3]")).isEqualTo(new Target.Slice("/dec/out:0",
                List.of(new IndexRange(1, 3))));
    }

    @Test
    void parsesNegativeIndicesAsPython() {
        assertThat(TargetParser.parse("logits[-1,3]")).isEqualTo(new Target.Slice("logits",
                List.of(IndexRange.single(-1), IndexRange.single(3))));
        assertThat(IndexRange.single(-1).bounds(16)).containsExactly(15, 16);
        assertThat(new IndexRange(-3, IndexRange.END).bounds(16)).containsExactly(13, 16);
        assertThat(new IndexRange(2, -2).bounds(16)).containsExactly(2, 14);
        assertThat(IndexRange.single(-17).bounds(16)).isNull();
        assertThat(new IndexRange(10, -8).bounds(16)).isNull();
        assertThatThrownBy(() -> TargetParser.parse("[-1:-3]")).hasMessageContaining("empty");
    }

    @Test
    void parsesPerExampleTargets() {
        assertThat(TargetParser.parse("3;5;top1")).isEqualTo(new Target.PerExample(List.of(
                new Target.ClassIndex(null, 3), new Target.ClassIndex(null, 5), new Target.Predicted(null))));
        assertThat(TargetParser.parse("out:1; out[0:2]")).isEqualTo(new Target.PerExample(List.of(
                new Target.ClassIndex("out", 1), new Target.Slice("out", List.of(new IndexRange(0, 2))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "top1", "top:5", "exit2:3", "exit2:top1", "exit2:top:5", "logits[0:16,3]",
            "[0:16,3]", "[:]", "x[2:,0:4,7]", "/layer4/Relu_output_0:top:2", "3;5;top1", "a:1;a[0:2]", "a:b:4",
        "logits[-1,3]", "[-3:,-2:-1]"})
    void specRoundTrips(String spec) {
        Target target = TargetParser.parse(spec);
        assertThat(target.spec()).isEqualTo(spec);
        assertThat(TargetParser.parse(target.spec())).isEqualTo(target);
    }

    @Test
    void normalisedSpecsRoundTrip() {
        Target slice = TargetParser.parse("out[:16, 3:4]");
        assertThat(slice.spec()).isEqualTo("out[0:16,3]");
        assertThat(TargetParser.parse(slice.spec())).isEqualTo(slice);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "cat", "top", "top:0", "top0", "-1", "exit2:", "exit2:cat", "[]", "[3:1]",
            "[a:b]", "x[1,-2:-5]", "3;;4", "3;top:2", "0:16]", "99999999999", ":[0:2]", "logits[0:16", "a[1]:3"})
    void rejectsBadSyntaxListingValidForms(String spec) {
        assertThatThrownBy(() -> TargetParser.parse(spec))
                .isInstanceOfSatisfying(XaiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("invalid target '" + spec + "'")
                            .contains("'exit2:top:5'").contains("'logits[0:16,3]'").contains("'3;5;top1'");
                });
    }

    @Test
    void errorNamesTheProblem() {
        assertThatThrownBy(() -> TargetParser.parse("[5:2]")).hasMessageContaining("range '5:2' is empty");
        assertThatThrownBy(() -> TargetParser.parse("3;top:2")).hasMessageContaining("single targets");
        assertThatThrownBy(() -> TargetParser.parse("exit2:")).hasMessageContaining("nothing follows the output name");
    }
}
