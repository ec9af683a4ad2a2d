package io.xai4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.baseline.Baseline;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParametersTest {
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("test-method", MethodFamily.GRADIENT,
            "1.0", "a method for tests", Set.of(), List.of(
                    ParameterSpec.integer("steps", 50, 1, 1000, "steps"),
                    ParameterSpec.real("sigma", 0.15, 0.0, 10.0, "sigma"),
                    ParameterSpec.bool("abs", true, "abs"),
                    ParameterSpec.choice("method", "riemann_left", List.of("riemann_left", "gausslegendre"), "rule"),
                    ParameterSpec.intList("window", null, 1, "window"),
                    ParameterSpec.baseline("baseline", "zeros", "baseline"),
                    ParameterSpec.tensor("mask", "mask"),
                    ParameterSpec.text("base", "saliency", "base method"),
                    ParameterSpec.nested("base.", "parameters of the base method")));

    enum Rule {
        RIEMANN_LEFT, GAUSSLEGENDRE
    }

    @Test
    void textAndTypedValuesGiveTheSameParameters() {
        Parameters text = Parameters.parse(DESCRIPTOR, Map.of("steps", "8", "sigma", "0.5", "abs", "false",
                "method", "gausslegendre", "window", "2,3"));
        Parameters typed = Parameters.parse(DESCRIPTOR, Map.of("steps", 8, "sigma", 0.5, "abs", false,
                "method", Rule.GAUSSLEGENDRE, "window", List.of(2, 3)));
        for (Parameters p : List.of(text, typed)) {
            assertThat(p.getInt("steps")).isEqualTo(8);
            assertThat(p.getDouble("sigma")).isEqualTo(0.5);
            assertThat(p.getBoolean("abs")).isFalse();
            assertThat(p.getString("method")).isEqualTo("gausslegendre");
            assertThat(p.getIntList("window")).containsExactly(2, 3);
        }
        assertThat(typed.asText()).containsEntry("steps", "8").containsEntry("window", "2,3");
        assertThat(Parameters.parse(DESCRIPTOR, Map.of("window", new int[] {4})).getIntList("window"))
                .containsExactly(4);
        assertThat(Parameters.parse(DESCRIPTOR, Map.of("steps", 12L)).getInt("steps")).isEqualTo(12);
    }

    @Test
    void choicesMatchIgnoringCaseAndSeparators() {
        assertThat(Parameters.parse(DESCRIPTOR, Map.of("method", "Riemann-Left")).getString("method"))
                .isEqualTo("riemann_left");
        assertThat(Parameters.parse(DESCRIPTOR, Map.of("method", Rule.RIEMANN_LEFT)).getString("method"))
                .isEqualTo("riemann_left");
    }

    @Test
    void tensorsAreBaselinesAndMasks(@TempDir Path dir) {
        Tensor t = Tensor.full(0.25f, 1, 2, 2);
        Parameters p = Parameters.parse(DESCRIPTOR, Map.of("baseline", t, "mask", t));
        assertThat(p.getTensor("mask")).isSameAs(t);
        assertThat(p.getBaseline("baseline").of(Tensor.zeros(2, 2)).get(3)).isEqualTo(0.25f);
        assertThat(p.asText()).containsEntry("mask", "tensor[1, 2, 2]").containsEntry("baseline", "tensor[1, 2, 2]");
        assertThat(Parameters.parse(DESCRIPTOR, Map.of("baseline", 0.5)).getBaseline("baseline"))
                .isEqualTo(new Baseline.Constant(0.5f));

        Path file = dir.resolve("mask.npy");
        Npy.write(file, t);
        assertThat(Parameters.parse(DESCRIPTOR, Map.of("mask", file.toString())).getTensor("mask").shape())
                .containsExactly(1, 2, 2);
        assertThat(Parameters.parse(DESCRIPTOR, Map.of("mask", file)).getTensor("mask").get(0)).isEqualTo(0.25f);
    }

    @Test
    void nestedParametersKeepTheirValuesForTheWrappedMethod() {
        Parameters p = Parameters.parse(DESCRIPTOR, Map.of("base", "integrated-gradients", "base.steps", 16,
                "base.method", "riemann_left"));
        assertThat(p.getString("base")).isEqualTo("integrated-gradients");
        assertThat(p.nested("base.")).containsOnly(Map.entry("steps", 16), Map.entry("method", "riemann_left"));
        assertThat(p.asText()).containsEntry("base.steps", "16");
        assertThat(Parameters.parse(DESCRIPTOR, Map.of()).nested("base.")).isEmpty();
    }

    @Test
    void badValuesNameTheParameterAndWhatIsValid() {
        assertError(Map.of("steps", 2.5), ErrorCode.INVALID_PARAMETER, "'steps'", "a whole number in [1, 1000]");
        assertError(Map.of("steps", 0), ErrorCode.INVALID_PARAMETER, "a whole number in [1, 1000]");
        assertError(Map.of("steps", "many"), ErrorCode.INVALID_PARAMETER, "a whole number");
        assertError(Map.of("sigma", Double.NaN), ErrorCode.INVALID_PARAMETER, "a number in [0, 10]");
        assertError(Map.of("abs", 1), ErrorCode.INVALID_PARAMETER, "(Integer)", "true or false");
        assertError(Map.of("method", "simpson"), ErrorCode.INVALID_PARAMETER, "one of riemann_left, gausslegendre");
        assertError(Map.of("mask", 3), ErrorCode.INVALID_PARAMETER, "a tensor or the path of an .npy file");
        assertError(Map.of("stepz", 3), ErrorCode.UNKNOWN_PARAMETER, "unknown parameter 'stepz'", "steps (");
        assertError(Map.of("base.", 3), ErrorCode.UNKNOWN_PARAMETER, "unknown parameter 'base.'");
    }

    private static void assertError(Map<String, ?> raw, ErrorCode code, String... fragments) {
        assertThatThrownBy(() -> Parameters.parse(DESCRIPTOR, raw)).isInstanceOf(XaiException.class)
                .satisfies(e -> assertThat(((XaiException) e).code()).isEqualTo(code))
                .message().contains(fragments);
    }
}
