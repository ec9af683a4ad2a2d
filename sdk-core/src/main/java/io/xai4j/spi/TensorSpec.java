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
