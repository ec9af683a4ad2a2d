package io.xai4j.methods.occlusion;

import io.xai4j.testing.MethodConformance;
import io.xai4j.testing.MethodConformance.Check;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every method this module registers against the conformance checks, with few masks. */
class ConformanceTest {
    private static final Map<String, Map<String, String>> PARAMETERS = Map.of("rise", Map.of("masks", "16"));
    /** sdk-core's {@code Baseline.parse} takes {@code NaN} (and infinities) as a constant baseline. */
    private static final Set<String> ACCEPT_NAN_BASELINE = Set.of("occlusion", "rise", "feature-ablation");

    @TestFactory
    Stream<DynamicTest> everyRegisteredMethodConforms() {
        return MethodConformance.registered().flatMap(c -> {
            String name = c.method().descriptor().name();
            if (ACCEPT_NAN_BASELINE.contains(name)) {
                c.knownFailure(Check.BAD_PARAMETERS, "sdk-core's Baseline.parse accepts baseline=NaN");
            }
            return c.parameters(PARAMETERS.getOrDefault(name, Map.of())).tests();
        });
    }
}
