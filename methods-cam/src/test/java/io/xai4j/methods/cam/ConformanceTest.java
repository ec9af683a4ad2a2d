package io.xai4j.methods.cam;

import io.xai4j.testing.MethodConformance;
import io.xai4j.testing.MethodConformance.Check;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every method this module registers against the conformance checks. */
class ConformanceTest {

    @TestFactory
    Stream<DynamicTest> everyRegisteredMethodConforms() {
        return MethodConformance.registered().flatMap(c -> c.knownFailure(Check.BAD_PARAMETERS,
                "grid=1 on an [N,C,H,W] layer: sdk-core's LayerLayout.of reads grid[1] of a one-number grid and"
                        + " throws ArrayIndexOutOfBoundsException instead of INVALID_PARAMETER").tests());
    }
}
