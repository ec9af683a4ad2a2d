package io.xai4j.plugin;

/** Sources of third-party plugins, compiled at test time. */
public final class ThirdParty {
    public static final String METHOD_SOURCE = """
            package com.example.good;

            import io.xai4j.spi.*;
            import io.xai4j.tensor.Tensor;
            import java.util.List;
            import java.util.Set;

            /** Attributes each input element with twice its value. */
            public final class EdgeMethod implements AttributionMethod {
                public MethodDescriptor descriptor() {
                    return new MethodDescriptor("edge-sum", MethodFamily.PERTURBATION, "0.3", "doubles the input",
                            Set.of(), List.of());
                }

                public Attribution attribute(AttributionContext context, AttributionRequest request) {
                    Tensor out = request.input().copy();
                    for (int i = 0; i < out.size(); i++) {
                        out.set(i, 2 * out.get(i));
                    }
                    return Attribution.of(request.inputName(), out);
                }
            }
            """;

    public static final String FAILING_SOURCE = """
            package com.example.broken;

            import io.xai4j.spi.*;

            public final class FailingMethod implements AttributionMethod {
                public FailingMethod() {
                    throw new UnsupportedOperationException("needs a licence key");
                }

                public MethodDescriptor descriptor() {
                    throw new AssertionError("unreachable");
                }

                public Attribution attribute(AttributionContext context, AttributionRequest request) {
                    throw new AssertionError("unreachable");
                }
            }
            """;

    /** Class name of {@link #ZERO_RELU_SOURCE}. */
    public static final String ZERO_RELU = "com.example.rules.ZeroRelu";
    /** Name of the rule set of {@link #ZERO_RELU_SOURCE}. */
    public static final String ZERO_RELU_NAME = "zero-relu";

    /** A backward rule set through which no gradient passes a Relu. */
    public static final String ZERO_RELU_SOURCE = """
            package com.example.rules;

            import io.xai4j.spi.backward.*;
            import java.util.List;
            import java.util.Map;

            public final class ZeroRelu implements BackwardRuleSet {
                public String name() {
                    return "zero-relu";
                }

                public Map<String, BackwardRule> rules() {
                    return Map.of("Relu", c -> List.of(c.zerosLike(c.input(0))));
                }
            }
            """;

    /** Class name of {@link #GREETING_SOURCE}. */
    public static final String GREETING = "com.example.shared.Greeting";

    /** {@code com.example.shared.Greeting.TEXT}: a class that two plugin jars both hold, with different values. */
    public static String greetingSource(String text) {
        return """
                package com.example.shared;

                public final class Greeting {
                    public static final String TEXT = new String("%s");
                }
                """.formatted(text);
    }

    /** A method {@code com.example.<name>.Method} named {@code name} whose description is {@code Greeting.TEXT}. */
    public static String greetingMethodSource(String name) {
        return """
                package com.example.%s;

                import com.example.shared.Greeting;
                import io.xai4j.spi.*;
                import java.util.List;
                import java.util.Set;

                public final class Method implements AttributionMethod {
                    public MethodDescriptor descriptor() {
                        return new MethodDescriptor("%s", MethodFamily.PERTURBATION, "1", Greeting.TEXT, Set.of(),
                                List.of());
                    }

                    public Attribution attribute(AttributionContext context, AttributionRequest request) {
                        throw new UnsupportedOperationException();
                    }
                }
                """.formatted(name, name);
    }

    /** Class names of {@link #LINKED_SOURCE} and the helper it needs. */
    public static final String LINKED = "com.example.linked.LinkedMethod";
    public static final String LINKED_HELPER = "com.example.linked.Helper";

    /** A method whose descriptor needs {@code com.example.linked.Helper}; leave the helper out to break it. */
    public static final String LINKED_SOURCE = """
            package com.example.linked;

            import io.xai4j.spi.*;
            import java.util.List;
            import java.util.Set;

            public final class LinkedMethod implements AttributionMethod {
                public MethodDescriptor descriptor() {
                    return new MethodDescriptor(Helper.name(), MethodFamily.PERTURBATION, "1", "linked", Set.of(),
                            List.of());
                }

                public Attribution attribute(AttributionContext context, AttributionRequest request) {
                    throw new UnsupportedOperationException();
                }
            }
            """;
    public static final String LINKED_HELPER_SOURCE = """
            package com.example.linked;

            final class Helper {
                static String name() {
                    return "linked";
                }
            }
            """;

    private ThirdParty() {
    }
}
