package io.xai4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.xai4j.spi.AttributionMethod;
import io.xai4j.testing.MethodConformance.Check;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

class MethodConformanceTest {

    @Test
    void correctMethodsPassEveryCheck() {
        MethodConformance.of(new ElementOcclusion()).check();
        MethodConformance.of(new BrokenMethods.Stochastic()).check();
        MethodConformance.of(new BrokenMethods.BatchCentred()).check();
    }

    static Stream<Arguments> brokenMethods() {
        return Stream.of(
                arguments(new BrokenMethods.BadDescriptor(), EnumSet.of(Check.DESCRIPTOR), "description"),
                arguments(new BrokenMethods.DividesBySamples(), EnumSet.of(Check.BAD_PARAMETERS),
                        "samples=0, the lowest value its range allows, gave a non-finite result"),
                arguments(new BrokenMethods.NonDeterministic(), EnumSet.of(Check.DETERMINISM, Check.BATCHING,
                        Check.PER_EXAMPLE_TARGETS, Check.CONCURRENCY), "two runs of"),
                arguments(new BrokenMethods.BatchNormalised(), EnumSet.of(Check.BATCHING, Check.PER_EXAMPLE_TARGETS),
                        "differs from each example explained alone"),
                arguments(new BrokenMethods.OneStreamAcrossExamples(), EnumSet.of(Check.BATCHING,
                        Check.PER_EXAMPLE_TARGETS), "differs from each example explained alone"),
                arguments(new BrokenMethods.FirstTargetOnly(), EnumSet.of(Check.PER_EXAMPLE_TARGETS),
                        "with classes [1, 2, 0]"),
                arguments(new BrokenMethods.NanOnZero(), EnumSet.of(Check.ZERO_INPUT), "is NaN at"),
                arguments(new BrokenMethods.SharedState(), EnumSet.of(Check.CONCURRENCY), "while another thread ran"),
                arguments(new BrokenMethods.Silent(), EnumSet.of(Check.PROGRESS), "reported no progress"),
                arguments(new BrokenMethods.BatchCentredAcceptsOne(), EnumSet.of(Check.BATCHING),
                        "explained one example instead of refusing it"));
    }

    @ParameterizedTest
    @MethodSource("brokenMethods")
    void eachCheckFailsExactlyTheMethodsThatBreakIt(AttributionMethod method, Set<Check> failing, String message) {
        MethodConformance conformance = MethodConformance.of(method);
        for (Check check : Check.values()) {
            if (failing.contains(check)) {
                assertThatThrownBy(() -> conformance.check(check)).as(check.name())
                        .hasMessageContaining("element-occlusion: " + check.description());
            } else {
                assertThatCode(() -> conformance.check(check)).as(check.name()).doesNotThrowAnyException();
            }
        }
        assertThatThrownBy(conformance::check).hasMessageContaining(message);
    }

    @Test
    void aKnownFailureIsAbortedWithItsReasonAndFailsOnceItPasses() {
        DynamicTest determinism = MethodConformance.of(new BrokenMethods.NonDeterministic())
                .knownFailure(Check.DETERMINISM, "issue 12").tests()
                .filter(t -> t.getDisplayName().endsWith(Check.DETERMINISM.description())).findFirst().orElseThrow();
        assertThatThrownBy(() -> determinism.getExecutable().execute()).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("issue 12").hasMessageContaining("two runs of");
        MethodConformance.of(new BrokenMethods.NonDeterministic()).knownFailure(Check.DETERMINISM, "issue 12")
                .check(Check.DETERMINISM, Check.DESCRIPTOR);
        assertThatThrownBy(() -> MethodConformance.of(new ElementOcclusion()).knownFailure(Check.ZERO_INPUT, "issue 13")
                .check(Check.ZERO_INPUT)).hasMessageContaining("passes, but is declared a known failure (issue 13)");
    }

    @Test
    void testsAreNamedAfterTheMethodAndTheCheck() {
        assertThat(MethodConformance.of(new ElementOcclusion()).tests().map(DynamicTest::getDisplayName))
                .hasSize(Check.values().length).contains("element-occlusion: deterministic for a fixed seed");
    }

    @Test
    void parametersMustBeDeclared() {
        assertThatThrownBy(() -> MethodConformance.of(new ElementOcclusion()).parameters(Map.of("sacle", "2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[scale, sign]");
        MethodConformance.of(new ElementOcclusion()).parameters(Map.of("scale", "2")).check(Check.BATCHING);
    }
}
