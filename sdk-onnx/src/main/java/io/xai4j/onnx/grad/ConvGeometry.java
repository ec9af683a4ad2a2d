package io.xai4j.onnx.grad;

import io.xai4j.onnx.proto.Onnx.NodeProto;
import java.util.Arrays;

/** Kernel, strides, dilations and explicit pads of a Conv or pooling node, with auto_pad resolved. */
final class ConvGeometry {
    final int spatial;
    final long[] kernel;
    final long[] strides;
    final long[] dilations;
    final long[] padsBegin;
    final long[] padsEnd;

    ConvGeometry(NodeProto node, TensorInfo x, long[] kernel) {
        this.spatial = x.rank() - 2;
        this.kernel = kernel;
        this.strides = OnnxAttributes.getInts(node, "strides", ones(spatial));
        this.dilations = OnnxAttributes.getInts(node, "dilations", ones(spatial));
        long[] pads = OnnxAttributes.getInts(node, "pads", new long[2 * spatial]);
        this.padsBegin = Arrays.copyOfRange(pads, 0, spatial);
        this.padsEnd = Arrays.copyOfRange(pads, spatial, 2 * spatial);
        String autoPad = OnnxAttributes.getString(node, "auto_pad", "NOTSET");
        if (autoPad.equals("VALID")) {
            Arrays.fill(padsBegin, 0);
            Arrays.fill(padsEnd, 0);
        } else if (autoPad.startsWith("SAME")) {
            for (int d = 0; d < spatial; d++) {
                long in = x.dim(2 + d);
                long out = (in + strides[d] - 1) / strides[d];
                long total = Math.max(0, (out - 1) * strides[d] + extent(d) - in);
                long small = total / 2;
                padsBegin[d] = autoPad.equals("SAME_UPPER") ? small : total - small;
                padsEnd[d] = total - padsBegin[d];
            }
        }
    }

    /** The dilated kernel extent along spatial axis {@code d}. */
    long extent(int d) {
        return (kernel[d] - 1) * dilations[d] + 1;
    }

    static long[] ones(int n) {
        long[] o = new long[n];
        Arrays.fill(o, 1);
        return o;
    }

    long[] pads() {
        long[] p = new long[2 * spatial];
        System.arraycopy(padsBegin, 0, p, 0, spatial);
        System.arraycopy(padsEnd, 0, p, spatial, spatial);
        return p;
    }

    /**
     * ConvTranspose pads and output_padding that map an output of spatial size {@code out} back onto an input of
     * spatial size {@code in}: {@code [pads(2*spatial), outputPadding(spatial)]}.
     */
    long[][] transposeGeometry(TensorInfo in, TensorInfo out) {
        long[] pads = new long[2 * spatial];
        long[] outputPadding = new long[spatial];
        for (int d = 0; d < spatial; d++) {
            long endCrop = (out.dim(2 + d) - 1) * strides[d] + extent(d) - padsBegin[d] - in.dim(2 + d);
            pads[d] = padsBegin[d];
            if (endCrop >= 0) {
                pads[spatial + d] = endCrop;
            } else {
                outputPadding[d] = -endCrop;
            }
        }
        return new long[][] {pads, outputPadding};
    }
}
