package io.xai4j.onnx.grad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.CancellableRuns;
import io.xai4j.onnx.ElementTypes;
import io.xai4j.onnx.TensorConversion;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import io.xai4j.spi.GradientResult;
import io.xai4j.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An ONNX Runtime session of a {@link GradientModel}: one {@link #run} returns the forward outputs, the
 * activations and the gradients. Thread-safe; {@link #close()} releases the native session.
 */
public final class GradientSession implements AutoCloseable {
    private final OrtEnvironment env;
    private final GradientModel model;
    private final OrtSession session;
    private final Map<String, Integer> inputTypes = new LinkedHashMap<>();
    private final ThreadLocal<ByteBuffer[]> staging;
    private final Set<String> requested = new LinkedHashSet<>();
    /** Runs hold the read lock for their native call; {@link #close} takes the write lock, so it waits for them. */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private GradientSession(OrtEnvironment env, GradientModel model, OrtSession session) {
        this.env = env;
        this.model = model;
        this.session = session;
        for (ValueInfoProto in : ShapeProbe.runtimeInputs(model.model().getGraph()).values()) {
            inputTypes.put(in.getName(), in.getType().getTensorType().getElemType());
        }
        requested.addAll(model.forwardOutputs());
        requested.addAll(model.activationOutputs().values());
        requested.addAll(model.gradientOutputs().values());
        requested.add(seededOutput());
        int count = inputTypes.size();
        this.staging = ThreadLocal.withInitial(() -> new ByteBuffer[count]);
    }

    /** The graph output holding the seeded tensor's forward value. */
    private String seededOutput() {
        return model.activationOutputs().getOrDefault(model.seededTensor(), model.seededTensor());
    }

    /** Opens a session; {@code options} must stay open while the session is used (ONNX Runtime's rule). */
    public static GradientSession open(OrtEnvironment env, OrtSession.SessionOptions options, GradientModel model) {
        try {
            return new GradientSession(env, model, env.createSession(model.toByteArray(), options));
        } catch (OrtException e) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "ONNX Runtime cannot load the gradient model: "
                    + e.getMessage(), e);
        }
    }

    public GradientModel model() {
        return model;
    }

    /**
     * Runs forward and backward passes.
     *
     * @param inputs every model input, batch first (converted to the input's element type)
     * @param seed   the cotangent of {@link GradientModel#seededTensor()}, shaped like it
     * @return outputs by model output name (plus the seeded tensor under {@link GradientResult#SEEDED_OUTPUT}),
     *         activations by tensor name, gradients by the tensor differentiated with respect to
     */
    public GradientResult run(Map<String, Tensor> inputs, Tensor seed) {
        checkSeed(inputs, seed);
        lock.readLock().lock();
        try {
            if (closed) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "the model has been closed");
            }
            return runOpen(inputs, seed);
        } finally {
            lock.readLock().unlock();
        }
    }

    private GradientResult runOpen(Map<String, Tensor> inputs, Tensor seed) {
        Map<String, OnnxTensor> feed = new HashMap<>();
        ByteBuffer[] buffers = staging.get();
        try {
            int slot = 0;
            for (Map.Entry<String, Integer> in : inputTypes.entrySet()) {
                Tensor t = in.getKey().equals(model.seedInput()) ? seed : inputs.get(in.getKey());
                if (t == null) {
                    throw new XaiException(ErrorCode.INVALID_INPUT, "missing model input '" + in.getKey()
                            + "'; expected inputs " + inputNames() + ", got " + inputs.keySet());
                }
                feed.put(in.getKey(), TensorConversion.toOrt(env, t, ElementTypes.javaType(in.getValue()), buffers,
                        slot++));
            }
            try (OrtSession.Result result = CancellableRuns.run(session, feed, requested)) {
                Map<String, Tensor> values = TensorConversion.fromOrt(result);
                Map<String, Tensor> outputs = new LinkedHashMap<>();
                model.forwardOutputs().forEach(o -> outputs.put(o, values.get(o)));
                outputs.put(GradientResult.SEEDED_OUTPUT, values.get(seededOutput()));
                Map<String, Tensor> activations = new LinkedHashMap<>();
                model.activationOutputs().forEach((k, v) -> activations.put(k, values.get(v)));
                Map<String, Tensor> gradients = new LinkedHashMap<>();
                model.gradientOutputs().forEach((k, v) -> gradients.put(k, values.get(v)));
                return new GradientResult(outputs, activations, gradients);
            }
        } catch (OrtException e) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "the gradient model failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private Set<String> inputNames() {
        Set<String> names = new LinkedHashSet<>(inputTypes.keySet());
        names.remove(model.seedInput());
        return names;
    }

    private void checkSeed(Map<String, Tensor> inputs, Tensor seed) {
        int[] expected = model.seedShape();
        boolean[] dynamic = model.seedBatchDependent();
        int[] got = seed.shape();
        boolean ok = got.length == expected.length;
        for (int i = 0; ok && i < got.length; i++) {
            ok = dynamic[i] || got[i] == expected[i];
        }
        if (!ok) {
            int batch = inputs.values().stream().findFirst().map(t -> t.rank() > 0 ? t.dim(0) : 1).orElse(1);
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "the seed for '" + model.seededTensor() + "' must have shape "
                    + Arrays.toString(model.seedShape(batch)) + ", got " + Arrays.toString(got));
        }
    }

    /** The gradient model's input element types, by name (the seed included). */
    public Map<String, Integer> inputElementTypes() {
        return Map.copyOf(inputTypes);
    }

    /** The name of a gradient output for {@code tensor}, if it was requested. */
    public Optional<String> gradientOutput(String tensor) {
        return Optional.ofNullable(model.gradientOutputs().get(tensor));
    }

    /** Waits for runs in flight, then releases the native session; later runs fail with the library's error. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            session.close();
        } catch (OrtException e) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "cannot close the gradient session: " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
