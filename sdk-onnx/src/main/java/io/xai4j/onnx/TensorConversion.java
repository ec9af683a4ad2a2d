package io.xai4j.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/** Copies float32 {@link Tensor}s into native ORT tensors of the declared type, and back. */
final class TensorConversion {
    private TensorConversion() {
    }

    /** Bytes per element of a Java-side ORT type. */
    static int elementBytes(OnnxJavaType type) {
        return switch (type) {
            case FLOAT, INT32 -> 4;
            case DOUBLE, INT64 -> 8;
            case FLOAT16, BFLOAT16, INT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            default -> throw new XaiException(ErrorCode.INVALID_INPUT,
                    "model inputs of type " + type + " cannot be fed from float32 tensors");
        };
    }

    /**
     * Writes {@code t} into {@code buffer} (direct, native order, cleared) converted to {@code type}, and wraps
     * the buffer, without a further copy, as a native tensor.
     */
    static OnnxTensor toOrt(OrtEnvironment env, Tensor t, OnnxJavaType type, ByteBuffer buffer) throws OrtException {
        float[] a = t.array();
        int off = t.offset();
        int n = t.size();
        switch (type) {
            case FLOAT -> buffer.asFloatBuffer().put(a, off, n);
            case DOUBLE -> {
                DoubleBuffer d = buffer.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    d.put(a[off + i]);
                }
            }
            case INT64 -> {
                LongBuffer l = buffer.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    l.put(Math.round(a[off + i]));
                }
            }
            case INT32 -> {
                IntBuffer b = buffer.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    b.put(Math.round(a[off + i]));
                }
            }
            case INT16 -> {
                ShortBuffer s = buffer.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    s.put((short) Math.round(a[off + i]));
                }
            }
            case FLOAT16, BFLOAT16 -> {
                ShortBuffer s = buffer.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    s.put(type == OnnxJavaType.FLOAT16 ? Fp16Conversions.floatToFp16(a[off + i])
                            : Fp16Conversions.floatToBf16(a[off + i]));
                }
            }
            case INT8, UINT8 -> {
                for (int i = 0; i < n; i++) {
                    buffer.put(i, (byte) Math.round(a[off + i]));
                }
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    buffer.put(i, (byte) (a[off + i] != 0f ? 1 : 0));
                }
            }
            default -> throw new IllegalStateException("unreachable: " + type);
        }
        buffer.limit(n * elementBytes(type));
        OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, longs(t.shape()), type);
        NativeResources.TENSORS.incrementAndGet();
        return tensor;
    }

    /** A direct buffer in native order with room for {@code bytes}. */
    static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(Math.max(bytes, 8)).order(ByteOrder.nativeOrder());
    }

    /** Copies a native tensor's elements into a new float32 tensor. */
    static Tensor fromOrt(String name, OnnxTensor t) {
        TensorInfo info = t.getInfo();
        int[] shape = ints(info.getShape());
        float[] out = new float[Tensor.sizeOf(shape)];
        switch (info.type) {
            case FLOAT, FLOAT16, BFLOAT16 -> t.getFloatBuffer().get(out);
            case DOUBLE -> {
                DoubleBuffer d = t.getDoubleBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) d.get(i);
                }
            }
            case INT64 -> {
                LongBuffer l = t.getLongBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = l.get(i);
                }
            }
            case INT32 -> {
                IntBuffer b = t.getIntBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i);
                }
            }
            case INT16 -> {
                ShortBuffer s = t.getShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = s.get(i);
                }
            }
            case INT8, UINT8, BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                boolean unsigned = info.type != OnnxJavaType.INT8;
                for (int i = 0; i < out.length; i++) {
                    out[i] = unsigned ? b.get(i) & 0xFF : b.get(i);
                }
            }
            default -> throw new XaiException(ErrorCode.MODEL_EXECUTION,
                    "output '" + name + "' has type " + info.type + ", which cannot be converted to float32");
        }
        return Tensor.of(out, shape);
    }

    static long[] longs(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        return s;
    }

    static int[] ints(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = Math.toIntExact(shape[i]);
        }
        return s;
    }
}
