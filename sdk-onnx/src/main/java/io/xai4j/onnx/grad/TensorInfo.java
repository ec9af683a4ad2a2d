package io.xai4j.onnx.grad;

import java.util.Arrays;

/**
 * Element type and shape of one tensor, as observed in a probe run.
 *
 * @param name           the tensor name
 * @param elemType       the ONNX element type ({@code TensorProto.DataType} number)
 * @param shape          the concrete shape of the probe run
 * @param batchDependent per axis, whether the size follows the batch size (symbolic in the emitted graph)
 */
public record TensorInfo(String name, int elemType, int[] shape, boolean[] batchDependent) {
    public TensorInfo {
        shape = shape.clone();
        batchDependent = batchDependent.clone();
        if (shape.length != batchDependent.length) {
            throw new IllegalArgumentException("shape and batchDependent differ in rank");
        }
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public boolean isDynamic(int axis) {
        return batchDependent[axis < 0 ? shape.length + axis : axis];
    }

    public boolean isFloat() {
        return OnnxTensors.isFloat(elemType);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean[] batchDependent() {
        return batchDependent.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.elemType == elemType
                && Arrays.equals(t.shape, shape) && Arrays.equals(t.batchDependent, batchDependent);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
