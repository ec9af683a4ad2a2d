package io.xai4j.spi;

import java.util.List;
import java.util.stream.Collectors;

/** A named model input or output: element type and declared shape (which may hold symbols). */
public record TensorSpec(String name, DataType type, List<Dim> shape) {
    public TensorSpec {
        shape = List.copyOf(shape);
    }

    public int rank() {
        return shape.size();
    }

    /** The shape as {@code [batch,3,224,224]}. */
    public String shapeString() {
        return shape.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
    }

    /** The shape of one example, without the first (batch) axis, as {@code [3,224,224]}. */
    public String exampleShapeString() {
        return shape.stream().skip(1).map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
    }

    /**
     * Whether a concrete batch shape fits this declaration after its first axis, which holds the examples and may
     * take any size (symbols match any size).
     */
    public boolean acceptsExamples(int[] concrete) {
        if (concrete.length != shape.size() || concrete.length == 0) {
            return false;
        }
        int[] batched = concrete.clone();
        Dim batch = shape.get(0);
        batched[0] = batch.isFixed() ? (int) batch.size() : concrete[0];
        return accepts(batched);
    }

    /** Whether a concrete shape fits this declaration (symbols match any size). */
    public boolean accepts(int[] concrete) {
        if (concrete.length != shape.size()) {
            return false;
        }
        for (int i = 0; i < concrete.length; i++) {
            Dim d = shape.get(i);
            if (d.isFixed() && d.size() != concrete[i]) {
                return false;
            }
        }
        return true;
    }
}
