package io.xai4j.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One ORT session: float32 tensors in, float32 tensors out. Runs are thread-safe; input staging buffers are
 * direct, native-order and reused per thread, so ORT wraps them without copying.
 */
final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final SessionOptions options;
    private final List<String> inputNames;
    private final Map<String, OnnxJavaType> inputTypes = new HashMap<>();
    private final List<TensorSpec> inputSpecs = new ArrayList<>();
    private final List<TensorSpec> outputSpecs = new ArrayList<>();
    private final ThreadLocal<ByteBuffer[]> staging;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    OrtRunner(OrtEnvironment env, OrtSession session, SessionOptions options) throws OrtException {
        this.env = env;
        this.session = session;
        this.options = options;
        NativeResources.SESSIONS.incrementAndGet();
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            inputSpecs.add(spec(e.getValue()));
            if (e.getValue().getInfo() instanceof TensorInfo ti) {
                inputTypes.put(e.getKey(), ti.type);
            }
        }
        for (NodeInfo info : session.getOutputInfo().values()) {
            outputSpecs.add(spec(info));
        }
        this.inputNames = List.copyOf(session.getInputNames());
        int count = inputNames.size();
        this.staging = ThreadLocal.withInitial(() -> new ByteBuffer[count]);
    }

    List<TensorSpec> inputs() {
        return inputSpecs;
    }

    List<TensorSpec> outputs() {
        return outputSpecs;
    }

    /** Runs the session on the given inputs and returns the requested outputs. */
    Map<String, Tensor> run(Map<String, Tensor> feeds, Set<String> wanted) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "the model has been closed");
            }
            return runOpen(feeds, wanted);
        } finally {
            lock.readLock().unlock();
        }
    }

    private Map<String, Tensor> runOpen(Map<String, Tensor> feeds, Set<String> wanted) {
        Map<String, OnnxTensor> native_ = new LinkedHashMap<>();
        ByteBuffer[] buffers = staging.get();
        try {
            for (int i = 0; i < inputNames.size(); i++) {
                String name = inputNames.get(i);
                Tensor t = feeds.get(name);
                if (t == null) {
                    throw new XaiException(ErrorCode.INVALID_INPUT, "missing model input '" + name
                            + "'; the model's inputs are " + inputNames);
                }
                OnnxJavaType type = inputTypes.get(name);
                if (type == null) {
                    throw new XaiException(ErrorCode.INVALID_INPUT, "model input '" + name
                            + "' is not a tensor; only tensor inputs are supported");
                }
                native_.put(name, TensorConversion.toOrt(env, t, type, buffers, i));
                NativeResources.TENSORS.incrementAndGet();
            }
            try (OrtSession.Result result = CancellableRuns.run(session, native_, wanted)) {
                NativeResources.RESULTS.incrementAndGet();
                try {
                    return TensorConversion.fromOrt(result);
                } finally {
                    NativeResources.RESULTS.decrementAndGet();
                }
            }
        } catch (OrtException e) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "ONNX Runtime failed to run the model: "
                    + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : native_.values()) {
                t.close();
                NativeResources.TENSORS.decrementAndGet();
            }
        }
    }

    private static TensorSpec spec(NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo ti)) {
            return new TensorSpec(node.getName(), DataType.OTHER, List.of());
        }
        long[] shape = ti.getShape();
        String[] names = ti.getDimensionNames();
        List<Dim> dims = new ArrayList<>(shape.length);
        for (int i = 0; i < shape.length; i++) {
            dims.add(shape[i] >= 0 ? Dim.fixed(shape[i]) : Dim.symbolic(i < names.length ? names[i] : null));
        }
        return new TensorSpec(node.getName(), ElementTypes.fromOrt(ti.onnxType), dims);
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                throw new XaiException(ErrorCode.INTERNAL, "failed to close an ONNX Runtime session: "
                        + e.getMessage(), e);
            } finally {
                NativeResources.SESSIONS.decrementAndGet();
                options.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
