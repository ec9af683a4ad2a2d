package io.xai4j.bench;

import com.google.inject.Injector;
import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.ModelOpener;
import io.xai4j.batch.Batcher;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.inject.Xai4j;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.spi.Parameters;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.target.Target;
import io.xai4j.target.TargetResolver;
import io.xai4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The benchmark model and inputs: a {@link ResNet18} with fixed weights written to a temporary file and opened
 * through the discovered ONNX backend on the CPU (one intra-op thread per core unless {@link #THREADS_PROPERTY}
 * says otherwise), one image and a batch of 32 images with fixed values, and the method registry and
 * {@link Explainer} from the injector.
 * Every call explains class {@link #TARGET_CLASS}.
 */
public final class ResNetFixture implements AutoCloseable {
    public static final long WEIGHT_SEED = 18;
    public static final int TARGET_CLASS = 7;
    public static final int BATCH = 32;
    /** System property with ONNX Runtime's intra-op threads; 0 or absent: one per core. */
    public static final String THREADS_PROPERTY = "xai4j.bench.threads";

    private final Path file;
    private final Model model;
    private final MethodRegistry methods;
    private final Explainer explainer;
    private final Map<String, Tensor> image;
    private final Map<String, Tensor> batch;
    private final ResolvedTarget imageTarget;
    private final AttributionContext context;

    public ResNetFixture() {
        file = ResNet18.writeTemp(WEIGHT_SEED);
        Injector injector = Xai4j.injector();
        model = injector.getInstance(ModelOpener.class).open(file, new ModelOptions("cpu", false,
                Integer.getInteger(THREADS_PROPERTY, 0)));
        methods = injector.getInstance(MethodRegistry.class);
        explainer = injector.getInstance(Explainer.class);
        Random random = new Random(7);
        image = Map.of(ResNet18.INPUT, randomImages(random, 1));
        batch = Map.of(ResNet18.INPUT, randomImages(random, BATCH));
        imageTarget = TargetResolver.resolve(new Target.ClassIndex(ResNet18.OUTPUT, TARGET_CLASS), model.signature(),
                model.forward(image)).get(0);
        context = new AttributionContext(model, Batcher.defaults(), 42);
    }

    private static Tensor randomImages(Random random, int n) {
        float[] values = new float[n * Tensor.sizeOf(ResNet18.IMAGE_SHAPE)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.of(values, n, ResNet18.IMAGE_SHAPE[0], ResNet18.IMAGE_SHAPE[1], ResNet18.IMAGE_SHAPE[2]);
    }

    public Model model() {
        return model;
    }

    public Explainer explainer() {
        return explainer;
    }

    public MethodRegistry methods() {
        return methods;
    }

    /** One image, {@code [1,3,224,224]}. */
    public Map<String, Tensor> image() {
        return image;
    }

    /** 32 images, {@code [32,3,224,224]}. */
    public Map<String, Tensor> batch() {
        return batch;
    }

    /** Class {@link #TARGET_CLASS} of the single image, resolved. */
    public ResolvedTarget imageTarget() {
        return imageTarget;
    }

    public GradientEngine engine() {
        return model.gradients().orElseThrow(() -> new IllegalStateException("the ONNX backend offers no gradients"));
    }

    /** Explainer options for {@code method} with target class {@link #TARGET_CLASS}. */
    public ExplainOptions.Builder explainOptions(String method) {
        return ExplainOptions.builder(method).target(new Target.ClassIndex(ResNet18.OUTPUT, TARGET_CLASS));
    }

    /** The gradient of logit {@link #TARGET_CLASS} of every row of {@code inputs} with respect to the input. */
    public GradientResult inputGradient(Map<String, Tensor> inputs) {
        int rows = inputs.get(ResNet18.INPUT).dim(0);
        Tensor seed = Tensor.zeros(rows, ResNet18.CLASSES);
        for (int r = 0; r < rows; r++) {
            seed.set(r * ResNet18.CLASSES + TARGET_CLASS, 1);
        }
        return engine().vjp(new GradientRequest(inputs, ResNet18.OUTPUT, seed, Set.of(ResNet18.INPUT), Set.of(),
                GradientRequest.EXACT, false));
    }

    /** Runs a registered method on the single image, without the Explainer's validation and prediction pass. */
    public Attribution attribute(String method, Map<String, String> parameters, String layer) {
        AttributionMethod m = methods.get(method);
        return m.attribute(context, new AttributionRequest(image, ResNet18.INPUT, imageTarget,
                Parameters.parse(m.descriptor(), parameters), Optional.ofNullable(layer)));
    }

    @Override
    public void close() throws Exception {
        try {
            model.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
