package io.xai4j.onnx.grad;

import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.util.List;

/**
 * The input gradient of a strided 2-D Conv with constant weights as one stride-1 Conv and a DepthToSpace
 * (polyphase form of the transposed convolution), which ONNX Runtime runs on its fast convolution kernels
 * instead of ConvTranspose's column-to-image path. With stride {@code s}, input row {@code s*q + a} of the
 * padded input receives {@code sum_{o,m} W[o, c, a + s*m] dY[o, q - m]}: for each phase {@code (a, b)} a
 * correlation of dY with the phase's flipped sub-kernel of {@code ceil(K/s)} taps per axis. The phases are
 * stacked as output channels {@code (c*s + a)*s + b}, DepthToSpace (CRD) interleaves them, and a Slice drops
 * the padding.
 */
final class StridedConvGradient {
    private StridedConvGradient() {
    }

    /**
     * Whether the polyphase form applies: two spatial axes with equal strides above 1, no dilation, one group,
     * static spatial sizes, and a kernel larger than the stride on both axes (smaller kernels leave most
     * phases empty, where ConvTranspose does less work).
     */
    static boolean applies(ConvGeometry geo, long group, TensorInfo x, TensorInfo y) {
        if (geo.spatial != 2 || group != 1 || geo.strides[0] != geo.strides[1] || geo.strides[0] < 2) {
            return false;
        }
        for (int d = 0; d < 2; d++) {
            if (geo.dilations[d] != 1 || geo.kernel[d] <= geo.strides[d] || x.isDynamic(2 + d) || y.isDynamic(2 + d)) {
                return false;
            }
        }
        return true;
    }

    static String emit(BackwardContext c, String dy, TensorProto weights, TensorInfo w, TensorInfo x, TensorInfo y,
            ConvGeometry geo) {
        int s = (int) geo.strides[0];
        int[] taps = new int[2];
        long[] pads = new long[4];
        long[] starts = new long[2];
        long[] ends = new long[2];
        for (int d = 0; d < 2; d++) {
            taps[d] = (int) ((geo.kernel[d] + s - 1) / s);
            long lastPhaseRow = (geo.padsBegin[d] + x.dim(2 + d) - 1) / s;
            pads[d] = taps[d] - 1;
            pads[2 + d] = Math.max(0, lastPhaseRow - y.dim(2 + d) + 1);
            starts[d] = geo.padsBegin[d];
            ends[d] = geo.padsBegin[d] + x.dim(2 + d);
        }
        String kernel = c.initializer(phaseKernels(weights, w, s, taps));
        String phases = c.emit("Conv", List.of(dy, kernel), OnnxAttributes.of("kernel_shape", new long[] {taps[0], taps[1]}),
                OnnxAttributes.of("pads", pads), OnnxAttributes.of("strides", new long[] {1, 1}));
        String interleaved = c.emit("DepthToSpace", List.of(phases), OnnxAttributes.of("blocksize", (long) s),
                OnnxAttributes.of("mode", "CRD"));
        return c.emit("Slice", List.of(interleaved, c.int64s(starts), c.int64s(ends), c.int64s(2, 3)));
    }

    /** F[(c*s + a)*s + b, o, i, j] = W[o, c, a + s*(taps0-1-i), b + s*(taps1-1-j)], zero outside the kernel. */
    static TensorProto phaseKernels(TensorProto weights, TensorInfo w, int s, int[] taps) {
        double[] values = OnnxTensors.toDoubles(weights);
        int outChannels = w.dim(0);
        int inChannels = w.dim(1);
        int kh = w.dim(2);
        int kw = w.dim(3);
        double[] f = new double[inChannels * s * s * outChannels * taps[0] * taps[1]];
        for (int ci = 0; ci < inChannels; ci++) {
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    int phase = (ci * s + a) * s + b;
                    for (int o = 0; o < outChannels; o++) {
                        for (int i = 0; i < taps[0]; i++) {
                            int r = a + s * (taps[0] - 1 - i);
                            for (int j = 0; j < taps[1]; j++) {
                                int q = b + s * (taps[1] - 1 - j);
                                if (r < kh && q < kw) {
                                    f[((phase * outChannels + o) * taps[0] + i) * taps[1] + j] =
                                            values[((o * inChannels + ci) * kh + r) * kw + q];
                                }
                            }
                        }
                    }
                }
            }
        }
        return OnnxTensors.ofDoubles("", weights.getDataType(), f, (long) inChannels * s * s, outChannels, taps[0],
                taps[1]);
    }
}
