package io.xai4j.api;

import io.xai4j.batch.Batcher;
import io.xai4j.target.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to explain: the method, the target, method parameters as text (validated against the method's
 * descriptor), and optional layer, input name, seed, batching and metadata for provenance. Build with
 * {@link #builder(String)}.
 *
 * @param method        a registered method name, e.g. {@code occlusion}
 * @param target        what to explain; {@link Target.Predicted} by default
 * @param parameters    method parameters by name, as text
 * @param layer         the intermediate tensor for layer methods, or null
 * @param inputName     the input to attribute to, or null for the first input
 * @param seed          the seed of stochastic methods
 * @param batcher       batch size, memory budget and progress listener
 * @param classNames    optional class names for labels
 * @param preprocessing the preprocessing spec that made the inputs, for provenance (or null)
 * @param inputSources  where the inputs came from (file names), for provenance
 */
public record ExplainOptions(String method, Target target, Map<String, String> parameters, String layer,
        String inputName, long seed, Batcher batcher, List<String> classNames, String preprocessing,
        List<String> inputSources) {
    public static final long DEFAULT_SEED = 42;

    public ExplainOptions {
        Objects.requireNonNull(method, "method");
        target = target == null ? new Target.Predicted(null) : target;
        parameters = Map.copyOf(parameters);
        batcher = batcher == null ? Batcher.defaults() : batcher;
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        inputSources = inputSources == null ? List.of() : List.copyOf(inputSources);
    }

    public static Builder builder(String method) {
        return new Builder(method);
    }

    /** Fluent construction of {@link ExplainOptions}. */
    public static final class Builder {
        private final String method;
        private Target target;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private String layer;
        private String inputName;
        private long seed = DEFAULT_SEED;
        private Batcher batcher;
        private List<String> classNames;
        private String preprocessing;
        private List<String> inputSources;

        private Builder(String method) {
            this.method = method;
        }

        public Builder target(Target value) {
            this.target = value;
            return this;
        }

        public Builder param(String name, Object value) {
            parameters.put(name, String.valueOf(value));
            return this;
        }

        public Builder params(Map<String, String> values) {
            parameters.putAll(values);
            return this;
        }

        public Builder layer(String value) {
            this.layer = value;
            return this;
        }

        public Builder inputName(String value) {
            this.inputName = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder batcher(Batcher value) {
            this.batcher = value;
            return this;
        }

        public Builder classNames(List<String> value) {
            this.classNames = value;
            return this;
        }

        public Builder preprocessing(String value) {
            this.preprocessing = value;
            return this;
        }

        public Builder inputSources(List<String> value) {
            this.inputSources = value;
            return this;
        }

        public ExplainOptions build() {
            return new ExplainOptions(method, target, parameters, layer, inputName, seed, batcher, classNames,
                    preprocessing, inputSources);
        }
    }
}
