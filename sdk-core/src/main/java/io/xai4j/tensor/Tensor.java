package io.xai4j.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A dense float32 tensor in row-major (C) order.
 *
 * <p>A tensor is a shape plus a window ({@code offset}, {@link #size()}) into a {@code float[]}. Views
 * ({@link #row(int)}, {@link #reshape(int...)}) share the backing array, so writing through a view is
 * visible in its parent. The first dimension is the batch dimension wherever the SDK deals with batches.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;
    private final int offset;
    private final int size;

    private Tensor(int[] shape, float[] data, int offset) {
        this.shape = shape;
        this.size = sizeOf(shape);
        if (offset < 0 || offset + size > data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " at offset " + offset
                    + " needs " + size + " elements, but the array has " + data.length);
        }
        this.data = data;
        this.offset = offset;
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape; the sizes must agree. */
    public static Tensor of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = shape.clone();
        if (sizeOf(s) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds " + sizeOf(s)
                    + " elements, but " + data.length + " were given");
        }
        return new Tensor(s, data, 0);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(shape.clone(), new float[sizeOf(shape)], 0);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** Stacks equally shaped tensors along a new leading dimension. */
    public static Tensor stack(List<Tensor> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot stack an empty list");
        }
        int[] rowShape = rows.get(0).shape;
        int[] shape = new int[rowShape.length + 1];
        shape[0] = rows.size();
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        Tensor out = zeros(shape);
        for (int i = 0; i < rows.size(); i++) {
            Tensor r = rows.get(i);
            if (!Arrays.equals(r.shape, rowShape)) {
                throw new IllegalArgumentException("cannot stack shape " + Arrays.toString(r.shape)
                        + " with " + Arrays.toString(rowShape));
            }
            r.copyTo(out.data, i * r.size);
        }
        return out;
    }

    /** Concatenates tensors along the batch (first) dimension. */
    public static Tensor concat(List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("cannot concatenate an empty list");
        }
        int[] first = parts.get(0).shape;
        int rows = 0;
        int total = 0;
        for (Tensor p : parts) {
            if (p.rank() != first.length || !Arrays.equals(p.shape, 1, p.rank(), first, 1, first.length)) {
                throw new IllegalArgumentException("cannot concatenate shape " + Arrays.toString(p.shape)
                        + " with " + Arrays.toString(first));
            }
            rows += p.shape[0];
            total += p.size;
        }
        int[] shape = first.clone();
        shape[0] = rows;
        float[] data = new float[total];
        int at = 0;
        for (Tensor p : parts) {
            p.copyTo(data, at);
            at += p.size;
        }
        return new Tensor(shape, data, 0);
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return size;
    }

    /** Number of elements in one batch row: the size divided by the first dimension. */
    public int rowSize() {
        return shape.length == 0 || shape[0] == 0 ? 0 : size / shape[0];
    }

    /** The backing array; elements of this tensor start at {@link #offset()}. */
    public float[] array() {
        return data;
    }

    public int offset() {
        return offset;
    }

    public float get(int flatIndex) {
        return data[offset + checkIndex(flatIndex)];
    }

    public void set(int flatIndex, float value) {
        data[offset + checkIndex(flatIndex)] = value;
    }

    /** Element at a multi-dimensional index. */
    public float at(int... index) {
        return data[offset + flatIndex(index)];
    }

    public int flatIndex(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " for a tensor of rank " + shape.length);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape " + Arrays.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    /** A view of batch row {@code i}, with the leading dimension dropped. */
    public Tensor row(int i) {
        if (shape.length == 0 || i < 0 || i >= shape[0]) {
            throw new IndexOutOfBoundsException("row " + i + " of shape " + Arrays.toString(shape));
        }
        int[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
        return new Tensor(rowShape, data, offset + i * rowSize());
    }

    /** A view of rows {@code [from, to)}, keeping the leading dimension. */
    public Tensor rows(int from, int to) {
        if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of shape " + Arrays.toString(shape));
        }
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(s, data, offset + from * rowSize());
    }

    /** A view with a new shape of the same size; one dimension may be -1. */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int unknown = -1;
        int known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException("only one -1 allowed in " + Arrays.toString(newShape));
                }
                unknown = i;
            } else {
                known *= s[i];
            }
        }
        if (unknown >= 0 && known > 0) {
            s[unknown] = size / known;
        }
        if (sizeOf(s) != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new Tensor(s, data, offset);
    }

    /** {@code n} copies of the only row of this batch of one, as a new tensor of {@code n} rows. */
    public Tensor repeatRows(int n) {
        if (shape.length == 0 || shape[0] != 1) {
            throw new IllegalArgumentException("repeatRows needs a batch of one, got shape " + Arrays.toString(shape));
        }
        int[] s = shape.clone();
        s[0] = n;
        float[] out = new float[n * size];
        for (int r = 0; r < n; r++) {
            System.arraycopy(data, offset, out, r * size, size);
        }
        return new Tensor(s, out, 0);
    }

    /** The same shape with the first dimension made 1 (a batch of one). */
    public Tensor unsqueeze0() {
        int[] s = new int[shape.length + 1];
        s[0] = 1;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return new Tensor(s, data, offset);
    }

    /** A compact copy of this tensor's elements. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    public Tensor copy() {
        return new Tensor(shape.clone(), toArray(), 0);
    }

    public void copyTo(float[] dest, int destOffset) {
        System.arraycopy(data, offset, dest, destOffset, size);
    }

    /** Copies {@code source}'s elements into this tensor; sizes must match. */
    public void copyFrom(Tensor source) {
        if (source.size != size) {
            throw new IllegalArgumentException("size " + source.size + " does not match " + size);
        }
        System.arraycopy(source.data, source.offset, data, offset, size);
    }

    /** True when the backing array holds exactly this tensor. */
    public boolean isCompact() {
        return offset == 0 && data.length == size;
    }

    public boolean hasNonFinite() {
        for (int i = offset; i < offset + size; i++) {
            if (!Float.isFinite(data[i])) {
                return true;
            }
        }
        return false;
    }

    public static int sizeOf(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " exceeds 2^31 elements");
        }
        return (int) n;
    }

    private int checkIndex(int flatIndex) {
        if (flatIndex < 0 || flatIndex >= size) {
            throw new IndexOutOfBoundsException("index " + flatIndex + " of size " + size);
        }
        return flatIndex;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tensor t) || !Arrays.equals(shape, t.shape)) {
            return false;
        }
        return Arrays.equals(data, offset, offset + size, t.data, t.offset, t.offset + t.size);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(shape);
        for (int i = offset; i < offset + size; i++) {
            h = 31 * h + Float.hashCode(data[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
