package io.xai4j.layer;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;

/**
 * How a layer's activations map to a spatial grid {@code [N,C,H,W]}. Convolutional layers already have that
 * layout, or have it channels-last as {@code [N,H,W,C]} ({@link ChannelsLast}). Token layouts {@code [N,T,C]} are
 * read as an {@code H x W} grid of patch tokens (vision transformers), with {@code skip} leading tokens (a class
 * token) left out: {@code T = skip + H*W}; for sequence models as a {@code 1 x T} row of time steps. A flat layer
 * {@code [N,C]} (a linear layer's output, as Captum's LayerGradCam takes) has one position: {@code 1 x 1}.
 *
 * @param rowShape the layer's shape without the batch
 * @param channels C
 * @param height   H
 * @param width    W
 * @param skip     leading tokens that are not on the grid (0 for convolutional layers)
 * @param channelsLast true when channels are the last axis: tokens {@code [N,T,C]} or maps {@code [N,H,W,C]}
 */
public record LayerLayout(int[] rowShape, int channels, int height, int width, int skip, boolean channelsLast) {

    /** True for a token layout {@code [N,T,C]}. */
    public boolean tokens() {
        return rowShape.length == 2;
    }

    /** True for a flat layer {@code [N,C]}: channels at a single position. */
    public boolean flat() {
        return rowShape.length == 1;
    }

    /** {@link #of(String, int[], int[], boolean)} for a model with an image input. */
    public static LayerLayout of(String layer, int[] shape, int[] grid) {
        return of(layer, shape, grid, true);
    }

    /**
     * {@link #of(String, int[], int[], boolean)}, reading a 4-D {@code shape} as {@code [N,H,W,C]} when
     * {@code channelsLast}.
     */
    public static LayerLayout of(String layer, int[] shape, int[] grid, boolean imageInput, boolean channelsLast) {
        checkGrid(grid);
        if (shape.length != 4 || !channelsLast) {
            return of(layer, shape, grid, imageInput);
        }
        if (grid != null && (grid[0] != shape[1] || grid[1] != shape[2])) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, "grid " + grid[0] + "x" + grid[1]
                    + " does not match the channels-last layer '" + layer + "' of shape " + Arrays.toString(shape)
                    + "; leave grid out for [N,H,W,C] layers");
        }
        return new LayerLayout(Arrays.copyOfRange(shape, 1, 4), shape[3], shape[1], shape[2], 0, true);
    }

    private static void checkGrid(int[] grid) {
        if (grid != null && (grid.length != 2 || grid[0] < 1 || grid[1] < 1)) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, "grid must be HxW with two positive numbers, got "
                    + Arrays.toString(grid));
        }
    }

    /**
     * The layout of a layer with batch shape {@code shape}.
     *
     * @param grid       {@code {H, W}} for token layouts, or null to infer it: for image inputs {@code T} a square,
     *                   or {@code T - 1} a square after dropping a leading class token; for other inputs
     *                   (sequences) a {@code 1 x T} row, one cell per time step
     * @param imageInput whether the model's input is an image ({@code [N,C,H,W]} or {@code [N,H,W,C]})
     * @throws XaiException {@link ErrorCode#INVALID_ARGUMENT} for other ranks or a token count that does not
     *                      fit the grid
     */
    public static LayerLayout of(String layer, int[] shape, int[] grid, boolean imageInput) {
        checkGrid(grid);
        if (shape.length == 4) {
            if (grid != null && (grid[0] != shape[2] || grid[1] != shape[3])) {
                throw new XaiException(ErrorCode.INVALID_PARAMETER, "grid " + grid[0] + "x" + grid[1]
                        + " does not match layer '" + layer + "' of shape " + Arrays.toString(shape)
                        + "; leave grid out for [N,C,H,W] layers");
            }
            return new LayerLayout(Arrays.copyOfRange(shape, 1, 4), shape[1], shape[2], shape[3], 0, false);
        }
        if (shape.length == 2) {
            if (grid != null) {
                throw new XaiException(ErrorCode.INVALID_PARAMETER, "grid " + grid[0] + "x" + grid[1] + " does not"
                        + " apply to layer '" + layer + "' of shape " + Arrays.toString(shape) + "; leave grid out for"
                        + " [N,C] layers");
            }
            return new LayerLayout(new int[] {shape[1]}, shape[1], 1, 1, 0, false);
        }
        if (shape.length != 3) {
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "layer '" + layer + "' has shape "
                    + Arrays.toString(shape) + "; CAM methods need [N,C,H,W] activations, [N,T,C] tokens or [N,C]"
                    + " features; choose another layer with --layer (see 'xai4j inspect')");
        }
        int tokens = shape[1];
        int[] rowShape = {tokens, shape[2]};
        if (grid != null) {
            int cells = grid[0] * grid[1];
            if (tokens != cells && tokens != cells + 1) {
                throw new XaiException(ErrorCode.INVALID_PARAMETER, "grid " + grid[0] + "x" + grid[1] + " has "
                        + cells + " cells, but layer '" + layer + "' has " + tokens + " tokens; expected " + cells
                        + " tokens, or " + (cells + 1) + " with a class token");
            }
            return new LayerLayout(rowShape, shape[2], grid[0], grid[1], tokens - cells, true);
        }
        if (!imageInput) {
            return new LayerLayout(rowShape, shape[2], 1, tokens, 0, true);
        }
        for (int skip = 0; skip <= 1; skip++) {
            int side = (int) Math.round(Math.sqrt(tokens - skip));
            if (side > 0 && side * side == tokens - skip) {
                return new LayerLayout(rowShape, shape[2], side, side, skip, true);
            }
        }
        throw new XaiException(ErrorCode.INVALID_PARAMETER, "layer '" + layer + "' has " + tokens + " tokens ("
                + Arrays.toString(shape) + "), which is neither a square grid nor a square grid plus a class token;"
                + " give the grid with the parameter grid=HxW");
    }

    /** {@code H * W}. */
    public int cells() {
        return height * width;
    }

    /** The activations as {@code [N,C,H,W]}: a view for channels-first layers, a transposed copy otherwise. */
    public Tensor toGrid(Tensor activations) {
        int n = activations.dim(0);
        if (!channelsLast) {
            return activations.reshape(n, channels, height, width);
        }
        int t = positions();
        float[] src = activations.array();
        int off = activations.offset();
        float[] out = new float[n * channels * cells()];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < cells(); p++) {
                int from = off + (b * t + skip + p) * channels;
                for (int c = 0; c < channels; c++) {
                    out[(b * channels + c) * cells() + p] = src[from + c];
                }
            }
        }
        return Tensor.of(out, n, channels, height, width);
    }

    /** Sets channel {@code c} of one example's activations (a row in the layer's own layout) to zero. */
    public void zeroChannel(Tensor row, int c) {
        float[] a = row.array();
        int off = row.offset();
        if (!channelsLast) {
            Arrays.fill(a, off + c * cells(), off + (c + 1) * cells(), 0f);
            return;
        }
        for (int t = 0; t < positions(); t++) {
            a[off + t * channels + c] = 0f;
        }
    }

    /** Channel vectors per example in a channels-last layout: tokens, or {@code H*W}. */
    private int positions() {
        return tokens() ? rowShape[0] : cells();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerLayout l && Arrays.equals(rowShape, l.rowShape) && channels == l.channels
                && height == l.height && width == l.width && skip == l.skip && channelsLast == l.channelsLast;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rowShape) * 31 + channels * 17 + height * 7 + width * 3 + skip + (channelsLast ? 1 : 0);
    }

    @Override
    public String toString() {
        return flat() ? channels + " features at one position" : tokens() ? "tokens " + rowShape[0] + "x" + channels + " as " + channels + "x" + height + "x" + width
                + (skip > 0 ? " (class token dropped)" : "")
                : channelsLast ? height + "x" + width + "x" + channels + " (channels last) as " + channels + "x" + height
                        + "x" + width : channels + "x" + height + "x" + width;
    }
}
