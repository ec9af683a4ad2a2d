package io.xai4j.onnx.grad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import io.xai4j.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A forward-only ONNX Runtime session of a {@link TailGraph}: computes one tensor from another tensor of the model
 * (and the model inputs the tail still reads). Not thread-safe; close it after use.
 */
public final class TailSession implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final Map<String, Integer> inputTypes = new LinkedHashMap<>();
    private final String output;

    private TailSession(OrtEnvironment env, OrtSession.SessionOptions options, OrtSession session, ModelProto tail,
            String output) {
        this.env = env;
        this.options = options;
        this.session = session;
        this.output = output;
        for (ValueInfoProto in : ShapeProbe.runtimeInputs(tail.getGraph()).values()) {
            inputTypes.put(in.getName(), in.getType().getTensorType().getElemType());
        }
    }

    /** Opens a session computing {@code output} from {@code tensor} on a single CPU thread. */
    public static TailSession open(OrtEnvironment env, ModelProto model, String tensor, String output) {
        ModelProto tail = TailGraph.of(model, tensor, List.of(output));
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(1);
            return new TailSession(env, options, env.createSession(tail.toByteArray(), options), tail, output);
        } catch (OrtException e) {
            options.close();
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "ONNX Runtime cannot load the model from '" + tensor
                    + "' to '" + output + "': " + e.getMessage(), e);
        }
    }

    /** The tensors a run needs: the starting tensor and any model inputs the tail still reads. */
    public Set<String> inputNames() {
        return inputTypes.keySet();
    }

    /** Computes the output from {@code values}, which hold every {@link #inputNames()} entry. */
    public Tensor run(Map<String, Tensor> values) {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (Map.Entry<String, Integer> in : inputTypes.entrySet()) {
                Tensor t = values.get(in.getKey());
                if (t == null) {
                    throw new XaiException(ErrorCode.INVALID_INPUT, "missing value for '" + in.getKey()
                            + "'; the tail needs " + inputTypes.keySet() + ", got " + values.keySet());
                }
                double[] v = new double[t.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = t.get(i);
                }
                feed.put(in.getKey(), OrtValues.create(env, in.getValue(), t.shape(), v));
            }
            try (OrtSession.Result result = session.run(feed, Set.of(output))) {
                OnnxTensor t = (OnnxTensor) result.get(0);
                return Tensor.of(OrtValues.toFloats(t), OrtValues.shape(t));
            }
        } catch (OrtException e) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "the model from " + inputTypes.keySet() + " to '" + output
                    + "' failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "cannot close the session: " + e.getMessage(), e);
        } finally {
            options.close();
        }
    }
}
