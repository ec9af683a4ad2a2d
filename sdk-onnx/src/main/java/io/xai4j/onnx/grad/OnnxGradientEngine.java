package io.xai4j.onnx.grad;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.OnnxModels;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link GradientEngine} over an ONNX model: builds one gradient model per distinct request shape (output,
 * tensors, activations, rule set, Softmax handling and input shapes without the batch axis), keeps its
 * session open, and runs it. Built gradient models are kept in a {@link GradientCache} on disk (by default the one
 * {@link GradientCache#fromEnvironment()} configures) and loaded from it by later engines on the same model.
 * {@link #close()} closes every session; the environment and the session options belong to the caller and stay open.
 */
public final class OnnxGradientEngine implements GradientEngine, AutoCloseable {
    private final ModelProto model;
    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final GradientCache cache;
    private final Path externalDataFolder;
    private final RuleSets ruleSets;
    private final Map<Key, GradientSession> sessions = new HashMap<>();
    private String modelSha256;
    private int builds;
    private boolean closed;

    public OnnxGradientEngine(ModelProto model, OrtEnvironment env, OrtSession.SessionOptions options) {
        this(model, env, options, GradientCache.fromEnvironment());
    }

    public OnnxGradientEngine(ModelProto model, OrtEnvironment env, OrtSession.SessionOptions options,
            GradientCache cache) {
        this(model, env, options, cache, null);
    }

    /** As the full constructor, over the rule sets of the class path. */
    public OnnxGradientEngine(ModelProto model, OrtEnvironment env, OrtSession.SessionOptions options,
            GradientCache cache, Path externalDataFolder) {
        this(model, env, options, cache, externalDataFolder, RuleSets.classPath());
    }

    /**
     * @param externalDataFolder the folder of the model file, where tensors stored as external data are found
     *                           (null when the model has none); {@code options} must resolve them there too
     * @param ruleSets           the rule sets requests may name, e.g. {@code OnnxModel.ruleSets()}
     */
    public OnnxGradientEngine(ModelProto model, OrtEnvironment env, OrtSession.SessionOptions options,
            GradientCache cache, Path externalDataFolder, RuleSets ruleSets) {
        this.model = Objects.requireNonNull(model, "model");
        this.env = Objects.requireNonNull(env, "env");
        this.options = Objects.requireNonNull(options, "options");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.externalDataFolder = externalDataFolder;
        this.ruleSets = Objects.requireNonNull(ruleSets, "ruleSets");
    }

    public static OnnxGradientEngine fromBytes(byte[] model, OrtEnvironment env, OrtSession.SessionOptions options) {
        try {
            return new OnnxGradientEngine(ModelProto.parseFrom(model), env, options);
        } catch (InvalidProtocolBufferException e) {
            throw new XaiException(ErrorCode.CORRUPT_FILE, "not an ONNX model: " + e.getMessage(), e);
        }
    }

    public static OnnxGradientEngine fromPath(Path model, OrtEnvironment env, OrtSession.SessionOptions options) {
        try {
            return fromBytes(Files.readAllBytes(model), env, options);
        } catch (NoSuchFileException e) {
            throw new XaiException(ErrorCode.MODEL_NOT_FOUND, "model file not found: " + model, e);
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot read model " + model + ": " + e.getMessage(), e);
        }
    }

    @Override
    public GradientResult vjp(GradientRequest request) {
        return session(request).run(request.inputs(), request.seed());
    }

    /** The forward tensors one batch row keeps, from the gradient model serving {@code request} (built if needed). */
    @Override
    public long bytesPerRow(GradientRequest request) {
        return session(request).model().rowBytes();
    }

    /** The gradient model serving {@code request}, built on first use. */
    public GradientModel gradientModel(GradientRequest request) {
        return session(request).model();
    }

    private synchronized GradientSession session(GradientRequest request) {
        if (closed) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "the model has been closed");
        }
        Key key = Key.of(request);
        GradientSession s = sessions.get(key);
        if (s == null) {
            s = open(request, key);
            sessions.put(key, s);
        }
        return s;
    }

    private GradientSession open(GradientRequest request, Key key) {
        String cacheKey = cache.enabled() ? key.canonical(modelSha256(), ruleSets.identity(key.ruleSet())) : null;
        if (cacheKey != null) {
            Optional<GradientModel> cached = cache.load(cacheKey, model);
            if (cached.isPresent()) {
                try {
                    return GradientSession.open(env, options, cached.get());
                } catch (XaiException e) {
                    cache.discard(cacheKey, e);
                }
            }
        }
        GradientModel built = build(request);
        if (cacheKey != null) {
            cache.store(cacheKey, built, model);
        }
        return GradientSession.open(env, options, built);
    }

    private GradientModel build(GradientRequest request) {
        Map<String, int[]> shapes = new HashMap<>();
        request.inputs().forEach((name, t) -> shapes.put(name, t.shape()));
        GradientExport.Settings settings = new GradientExport.Settings(List.copyOf(request.wrt()),
                List.copyOf(request.inputs().keySet()), request.output(), List.copyOf(request.activations()),
                request.ruleSet(), request.differentiateThroughSoftmax(), shapes);
        builds++;
        return GradientExport.build(model, externalDataFolder, settings, ruleSets, env);
    }

    private String modelSha256() {
        if (modelSha256 == null) {
            modelSha256 = OnnxModels.sha256(model.toByteArray());
        }
        return modelSha256;
    }

    /** Number of gradient models this engine built (not loaded from the cache). */
    synchronized int builds() {
        return builds;
    }

    /** Number of gradient models built so far. */
    public synchronized int cachedModels() {
        return sessions.size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (GradientSession s : sessions.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        sessions.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private record Key(String output, Set<String> wrt, Set<String> activations, String ruleSet, boolean throughSoftmax,
            Map<String, List<Integer>> shapesWithoutBatch) {
        static Key of(GradientRequest r) {
            Map<String, List<Integer>> shapes = new TreeMap<>();
            for (Map.Entry<String, Tensor> e : r.inputs().entrySet()) {
                int[] s = e.getValue().shape();
                shapes.put(e.getKey(), Arrays.stream(s).skip(s.length > 0 ? 1 : 0).boxed().toList());
            }
            return new Key(r.output(), new TreeSet<>(r.wrt()), new TreeSet<>(r.activations()), r.ruleSet(),
                    r.differentiateThroughSoftmax(), shapes);
        }

        /**
         * The cache key: every field, the model's SHA-256, the rule set's {@link RuleSets#identity identity} and
         * the cache format version, one per line.
         */
        String canonical(String modelSha256, String rulesIdentity) {
            return String.join("\n", "xai4j-gradient-model v" + GradientCache.FORMAT_VERSION, "model " + modelSha256,
                    "output " + output, "wrt " + String.join("\u0000", wrt),
                    "activations " + String.join("\u0000", activations), "rules " + ruleSet + " " + rulesIdentity,
                    "through-softmax " + throughSoftmax, "shapes " + shapesWithoutBatch);
        }
    }
}
