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

    private ThirdParty() {
    }
}
