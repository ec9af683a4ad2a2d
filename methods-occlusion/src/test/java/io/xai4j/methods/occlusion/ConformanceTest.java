package io.xai4j.methods.occlusion;

import io.xai4j.testing.MethodConformance;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every method this module registers against the conformance checks, with few masks. */
class ConformanceTest {
    private static final Map<String, Map<String, String>> PARAMETERS = Map.of("rise", Map.of("masks", "16"),
            "shapley", Map.of("grid", "2,3"), "shapley-sampling", Map.of("permutations", "3"));

    @TestFactory
    Stream<DynamicTest> everyRegisteredMethodConforms() {
        return MethodConformance.registered()
                .flatMap(c -> c.parameters(PARAMETERS.getOrDefault(c.method().descriptor().name(), Map.of())).tests());
    }

    /** Groups computed from each example's values. */
    @TestFactory
    Stream<DynamicTest> superpixelGroupsConform() {
        return Stream.of("slic", "felzenszwalb").flatMap(algorithm -> MethodConformance.of(new KernelShap())
                .parameters(Map.of("superpixels", algorithm, "segments", "4", "samples", "8")).tests());
    }
}
