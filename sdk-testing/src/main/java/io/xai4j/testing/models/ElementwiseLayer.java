package io.xai4j.testing.models;

import io.xai4j.tensor.Tensor;
import java.util.Arrays;

/**
 * The layer of an {@link AnalyticModel}: {@code act = c0 + c1 x + c2 x^2} element by element, laid out like the
 * example or, as tokens, {@code [N, 1 + H*W, C]} with a class token of value {@link #CLASS_TOKEN} first. Values
 * of one example are exchanged in grid layout: a {@code double[]} in the example's element order.
 */
final class ElementwiseLayer {
    static final float CLASS_TOKEN = 7f;
    private final int[] exampleShape;
    private final double c0;
    private final double c1;
    private final double c2;
    private final boolean tokens;

    ElementwiseLayer(int[] exampleShape, double c0, double c1, double c2, boolean tokens) {
        if (tokens && exampleShape.length != 3) {
            throw new IllegalArgumentException("a token layer needs examples [C,H,W], got "
                    + Arrays.toString(exampleShape));
        }
        this.exampleShape = exampleShape;
        this.c0 = c0;
        this.c1 = c1;
        this.c2 = c2;
        this.tokens = tokens;
    }

    ElementwiseLayer withFunction(double constant, double linear, double square) {
        return new ElementwiseLayer(exampleShape, constant, linear, square, tokens);
    }

    ElementwiseLayer withTokens(boolean tokenLayout) {
        return new ElementwiseLayer(exampleShape, c0, c1, c2, tokenLayout);
    }

    int size() {
        return Tensor.sizeOf(exampleShape);
    }

    double value(double x) {
        return c0 + x * (c1 + c2 * x);
    }

    /** {@code d act / d x}. */
    double slope(double x) {
        return c1 + 2 * c2 * x;
    }

    /** The layer's shape for a batch of {@code n}. */
    int[] shape(int n) {
        if (tokens) {
            return new int[] {n, 1 + cells(), exampleShape[0]};
        }
        int[] s = new int[exampleShape.length + 1];
        s[0] = n;
        System.arraycopy(exampleShape, 0, s, 1, exampleShape.length);
        return s;
    }

    /** The layer values of example {@code n} of the input {@code x}, in grid layout. */
    double[] values(Tensor x, int n) {
        Tensor row = x.row(n);
        double[] a = new double[row.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = value(row.get(i));
        }
        return a;
    }

    /** The layer tensor for a batch of inputs. */
    Tensor tensor(Tensor x) {
        Tensor layer = Tensor.zeros(shape(x.dim(0)));
        for (int r = 0; r < x.dim(0); r++) {
            put(layer, r, values(x, r));
            if (tokens) {
                for (int c = 0; c < exampleShape[0]; c++) {
                    layer.set(r * layer.rowSize() + c, CLASS_TOKEN);
                }
            }
        }
        return layer;
    }

    /** Example {@code n} of a layer-shaped tensor in grid layout (the class token left out). */
    double[] grid(Tensor layer, int n) {
        double[] g = new double[size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = layer.get(index(layer.rowSize(), n, i));
        }
        return g;
    }

    /** Writes grid values {@code g} as example {@code n} of a layer-shaped tensor. */
    void put(Tensor layer, int n, double[] g) {
        for (int i = 0; i < g.length; i++) {
            layer.set(index(layer.rowSize(), n, i), (float) g[i]);
        }
    }

    private int index(int rowSize, int n, int gridIndex) {
        if (!tokens) {
            return n * rowSize + gridIndex;
        }
        int c = gridIndex / cells();
        int p = gridIndex % cells();
        return n * rowSize + (1 + p) * exampleShape[0] + c;
    }

    private int cells() {
        return exampleShape[1] * exampleShape[2];
    }
}
