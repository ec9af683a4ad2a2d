package io.xai4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xai4j.error.ErrorType;
import io.xai4j.error.XaiException;
import io.xai4j.image.Images;
import io.xai4j.io.Npy;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.target.TargetParser;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz tests of the readers and parsers that take outside data: each input is refused with the library's own error
 * of the expected kind, or accepted; any other exception is a bug. {@code mvn verify} fuzzes each for a few seconds
 * (the executions in this module's pom set {@code JAZZER_FUZZ}); otherwise, as plain tests, they replay the inputs
 * under {@code src/test/resources/io/xai4j/fuzz/InputFuzzTestInputs/<method>/}, the seeds and every crash found.
 */
class InputFuzzTest {
    /** Images decode within this limit, so a header claiming a huge image is refused, not allocated. */
    private static final String MAX_PIXELS = "1000000";
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("fuzz", MethodFamily.GRADIENT, "1",
            "every kind of parameter", Set.of(), List.of(
                    ParameterSpec.integer("steps", 50, 1, 1000, "steps"),
                    ParameterSpec.real("sigma", 0.15, 0.0, 10.0, "sigma"),
                    ParameterSpec.bool("abs", true, "abs"),
                    ParameterSpec.choice("rule", "left", List.of("left", "right"), "rule"),
                    ParameterSpec.intList("window", null, 1, "window"),
                    ParameterSpec.baseline("baseline", "zeros", "baseline"),
                    ParameterSpec.text("name", "", "name")));

    @FuzzTest(maxDuration = "5s")
    void npy(byte[] data) {
        try {
            Npy.read(data, "fuzz.npy");
        } catch (XaiException e) {
            expect(e, ErrorType.INPUT);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void image(byte[] data) {
        String previous = System.setProperty(Images.MAX_PIXELS_PROPERTY, MAX_PIXELS);
        try {
            Images.decode(data, "fuzz.png");
        } catch (XaiException e) {
            expect(e, ErrorType.INPUT);
        } finally {
            if (previous == null) {
                System.clearProperty(Images.MAX_PIXELS_PROPERTY);
            } else {
                System.setProperty(Images.MAX_PIXELS_PROPERTY, previous);
            }
        }
    }

    @FuzzTest(maxDuration = "5s")
    void target(String spec) {
        try {
            TargetParser.parse(spec);
        } catch (XaiException e) {
            expect(e, ErrorType.USAGE);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void param(FuzzedDataProvider data) {
        String name = data.pickValue(List.of("steps", "sigma", "abs", "rule", "window", "baseline", "name", "other"));
        try {
            Parameters.parse(DESCRIPTOR, Map.of(name, data.consumeRemainingAsString()));
        } catch (XaiException e) {
            expect(e, ErrorType.USAGE);
        }
    }

    private static void expect(XaiException e, ErrorType type) {
        if (e.code().type() != type) {
            throw new AssertionError("expected a " + type + " error, got " + e.code() + ": " + e.getMessage(), e);
        }
    }
}
