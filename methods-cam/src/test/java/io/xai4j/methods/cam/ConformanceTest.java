package io.xai4j.methods.cam;

import io.xai4j.testing.MethodConformance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every method this module registers against the conformance checks. */
class ConformanceTest {

    @TestFactory
    Stream<DynamicTest> everyRegisteredMethodConforms() {
        return MethodConformance.registered().flatMap(MethodConformance::tests);
    }
}
