package io.xai4j.spi;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.List;
import java.util.stream.Collectors;

/** The named inputs and outputs of a model, in declaration order. */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public TensorSpec input(String name) {
        return find(inputs, name, "input");
    }

    public TensorSpec output(String name) {
        return find(outputs, name, "output");
    }

    public TensorSpec firstInput() {
        return inputs.get(0);
    }

    public TensorSpec firstOutput() {
        return outputs.get(0);
    }

    public List<String> outputNames() {
        return outputs.stream().map(TensorSpec::name).toList();
    }

    public List<String> inputNames() {
        return inputs.stream().map(TensorSpec::name).toList();
    }

    private static TensorSpec find(List<TensorSpec> specs, String name, String kind) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new XaiException(
                kind.equals("output") ? ErrorCode.UNKNOWN_TARGET : ErrorCode.INVALID_INPUT,
                "unknown model " + kind + " '" + name + "'; the model's " + kind + "s are "
                        + specs.stream().map(s -> s.name() + s.shapeString()).collect(Collectors.joining(", "))));
    }
}
