package io.xai4j.api;

import io.xai4j.batch.Batcher;
import io.xai4j.io.LoadedInput;
import io.xai4j.spi.GradientRequest;
import io.xai4j.target.Target;
import io.xai4j.target.TargetParser;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to explain: the method, the target, method parameters (text as on the command line, or typed values:
 * numbers, booleans, enums, tensors; validated against the method's descriptor, see
 * {@link io.xai4j.spi.Parameters#parse}), and optional layer, input name, seed, backward rule set, batching and
 * metadata for provenance. Build with {@link #builder(String)}.
 *
 * @param method        a registered method name, e.g. {@code occlusion}
 * @param target        what to explain; {@link Target.Predicted} by default
 * @param parameters    method parameters by name
 * @param layer         the intermediate tensor for layer methods, or null
 * @param inputName     the input to attribute to, or null for the first input
 * @param seed          the seed of stochastic methods
 * @param ruleSet       the backward rule set of gradient methods, {@code exact} (the default) for true gradients
 * @param batcher       batch size, memory budget and progress listener
 * @param classNames    optional class names for labels
 * @param preprocessing the preprocessing spec that made the inputs, for provenance (or null)
 * @param inputSources  where the inputs came from (file names), for provenance
 */
public record ExplainOptions(String method, Target target, Map<String, Object> parameters, String layer,
        String inputName, long seed, String ruleSet, Batcher batcher, List<String> classNames, String preprocessing,
        List<String> inputSources) {
    public static final long DEFAULT_SEED = 42;

    public ExplainOptions {
        Objects.requireNonNull(method, "method");
        target = target == null ? new Target.Predicted(null) : target;
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        ruleSet = ruleSet == null ? GradientRequest.EXACT : ruleSet;
        batcher = batcher == null ? Batcher.defaults() : batcher;
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        inputSources = inputSources == null ? List.of() : List.copyOf(inputSources);
    }

    /**
     * These options with the provenance of a loaded input: its file name and preprocessing, where these options
     * give none.
     */
    public ExplainOptions describing(LoadedInput input) {
        return new ExplainOptions(method, target, parameters, layer, inputName, seed, ruleSet, batcher, classNames,
                preprocessing != null ? preprocessing : input.preprocessing(),
                !inputSources.isEmpty() ? inputSources : List.of(input.source().getFileName().toString()));
    }

    /** These options with another target. */
    public ExplainOptions withTarget(Target value) {
        return new ExplainOptions(method, value, parameters, layer, inputName, seed, ruleSet, batcher, classNames,
                preprocessing, inputSources);
    }

    public static Builder builder(String method) {
        return new Builder(method);
    }

    /** Fluent construction of {@link ExplainOptions}. */
    public static final class Builder {
        private final String method;
        private Target target;
        private final Map<String, Object> parameters = new LinkedHashMap<>();
        private String layer;
        private String inputName;
        private long seed = DEFAULT_SEED;
        private String ruleSet;
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

        /** The target as on the command line: {@code top1}, {@code 3}, {@code exit2:3}, {@code top:5}, ... */
        public Builder target(String spec) {
            this.target = TargetParser.parse(spec);
            return this;
        }

        /** A method parameter: text as on the command line, or a typed value (a number, a tensor, ...). */
        public Builder param(String name, Object value) {
            parameters.put(name, Objects.requireNonNull(value, name));
            return this;
        }

        public Builder params(Map<String, ?> values) {
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

        /** The backward rule set of gradient methods, e.g. a plugin's; {@code exact} by default. */
        public Builder ruleSet(String value) {
            this.ruleSet = value;
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
            return new ExplainOptions(method, target, parameters, layer, inputName, seed, ruleSet, batcher, classNames,
                    preprocessing, inputSources);
        }
    }
}
