package io.xai4j.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Converts values into native ORT tensors of any numeric element type, and back: float32 {@link Tensor}s for
 * model runs (staged in reusable direct buffers that ORT wraps without copying) and double arrays where full
 * precision matters (constant evaluation, double-precision checks). Part of the ONNX backend, not a user API.
 */
public final class TensorConversion {
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
                    "model inputs of type " + type + " cannot be fed from numeric tensors");
        };
    }

    /**
     * Writes {@code t} converted to {@code type} into slot {@code slot} of {@code staging} (a direct buffer kept
     * there for later calls, replaced when too small) and wraps the buffer, without a further copy, as a native
     * tensor. The buffer must not be written again until the returned tensor is closed.
     */
    public static OnnxTensor toOrt(OrtEnvironment env, Tensor t, OnnxJavaType type, ByteBuffer[] staging, int slot)
            throws OrtException {
        int bytes = t.size() * elementBytes(type);
        if (staging[slot] == null || staging[slot].capacity() < bytes) {
            staging[slot] = direct(bytes);
        }
        ByteBuffer buffer = staging[slot];
        buffer.clear();
        float[] a = t.array();
        int off = t.offset();
        if (type == OnnxJavaType.FLOAT) {
            buffer.asFloatBuffer().put(a, off, t.size());
        } else {
            write(buffer, type, t.size(), i -> a[off + i]);
        }
        return wrap(env, buffer, t.size(), longs(t.shape()), type);
    }

    /** A new native tensor of {@code type} holding {@code values} (zeros when null), converted as needed. */
    public static OnnxTensor toOrt(OrtEnvironment env, double[] values, int[] shape, OnnxJavaType type)
            throws OrtException {
        int n = Tensor.sizeOf(shape);
        ByteBuffer buffer = direct(n * elementBytes(type));
        if (values != null) {
            write(buffer, type, n, i -> values[i]);
        }
        return wrap(env, buffer, n, longs(shape), type);
    }

    private static OnnxTensor wrap(OrtEnvironment env, ByteBuffer buffer, int n, long[] shape, OnnxJavaType type)
            throws OrtException {
        buffer.position(0).limit(n * elementBytes(type));
        return OnnxTensor.createTensor(env, buffer, shape, type);
    }

    /** Writes {@code n} values, converted to {@code type}, at the start of {@code buffer}. */
    private static void write(ByteBuffer buffer, OnnxJavaType type, int n, IntToDoubleFunction value) {
        switch (type) {
            case FLOAT -> {
                FloatBuffer f = buffer.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    f.put((float) value.applyAsDouble(i));
                }
            }
            case DOUBLE -> {
                DoubleBuffer d = buffer.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    d.put(value.applyAsDouble(i));
                }
            }
            case INT64 -> {
                LongBuffer l = buffer.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    l.put(Math.round(value.applyAsDouble(i)));
                }
            }
            case INT32 -> {
                IntBuffer b = buffer.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    b.put((int) Math.round(value.applyAsDouble(i)));
                }
            }
            case INT16 -> {
                ShortBuffer s = buffer.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    s.put((short) Math.round(value.applyAsDouble(i)));
                }
            }
            case FLOAT16, BFLOAT16 -> {
                ShortBuffer s = buffer.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    float v = (float) value.applyAsDouble(i);
                    s.put(type == OnnxJavaType.FLOAT16 ? Fp16Conversions.floatToFp16(v) : Fp16Conversions.floatToBf16(v));
                }
            }
            case INT8, UINT8 -> {
                for (int i = 0; i < n; i++) {
                    buffer.put(i, (byte) Math.round(value.applyAsDouble(i)));
                }
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    buffer.put(i, (byte) (value.applyAsDouble(i) != 0 ? 1 : 0));
                }
            }
            default -> throw new IllegalStateException("unreachable: " + type);
        }
    }

    /** A direct buffer in native order with room for {@code bytes}. */
    static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(Math.max(bytes, 8)).order(ByteOrder.nativeOrder());
    }

    /** Every output of a run as a new float32 tensor, by name in the result's order. */
    public static Map<String, Tensor> fromOrt(OrtSession.Result result) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : result) {
            if (!(e.getValue() instanceof OnnxTensor ot)) {
                throw new XaiException(ErrorCode.MODEL_EXECUTION, "output '" + e.getKey() + "' is a "
                        + e.getValue().getType() + ", not a tensor");
            }
            out.put(e.getKey(), fromOrt(e.getKey(), ot));
        }
        return out;
    }

    /** Copies a native tensor's elements into a new float32 tensor. */
    static Tensor fromOrt(String name, OnnxTensor t) {
        TensorInfo info = t.getInfo();
        int[] shape = ints(info.getShape());
        float[] out = new float[Tensor.sizeOf(shape)];
        if (isFloatBuffered(info.type)) {
            t.getFloatBuffer().get(out);
        } else {
            IntToDoubleFunction value = elements(name, t);
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) value.applyAsDouble(i);
            }
        }
        return Tensor.of(out, shape);
    }

    /** The elements of a numeric native tensor as doubles. */
    public static double[] toDoubles(OnnxTensor t) {
        double[] out = new double[Math.toIntExact(t.getInfo().getNumElements())];
        IntToDoubleFunction value = elements("", t);
        for (int i = 0; i < out.length; i++) {
            out[i] = value.applyAsDouble(i);
        }
        return out;
    }

    private static boolean isFloatBuffered(OnnxJavaType type) {
        return type == OnnxJavaType.FLOAT || type == OnnxJavaType.FLOAT16 || type == OnnxJavaType.BFLOAT16;
    }

    /** Reads element {@code i} of {@code t}, whatever its numeric type. */
    private static IntToDoubleFunction elements(String name, OnnxTensor t) {
        OnnxJavaType type = t.getInfo().type;
        if (isFloatBuffered(type)) {
            FloatBuffer f = t.getFloatBuffer();
            return f::get;
        }
        return switch (type) {
            case DOUBLE -> t.getDoubleBuffer()::get;
            case INT64 -> t.getLongBuffer()::get;
            case INT32 -> t.getIntBuffer()::get;
            case INT16 -> t.getShortBuffer()::get;
            case INT8 -> t.getByteBuffer()::get;
            case UINT8, BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                yield i -> b.get(i) & 0xFF;
            }
            default -> throw new XaiException(ErrorCode.MODEL_EXECUTION, "output '" + name + "' has type " + type
                    + ", which cannot be converted to numbers");
        };
    }

    /** A shape as ORT takes it. */
    public static long[] longs(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        return s;
    }

    /** A shape as {@link Tensor} takes it. */
    public static int[] ints(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = Math.toIntExact(shape[i]);
        }
        return s;
    }
}
