package io.xai4j.bench;

import io.xai4j.api.ExplainOptions;
import io.xai4j.explain.Explanation;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.GradientResult;
import io.xai4j.target.Target;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward passes and gradient methods on a {@link ResNet18} at 224x224 on the CPU. Each benchmark has an
 * engine-level form (one {@code forward} or {@code vjp} call) and, for methods, a method-level form (the
 * registered method's {@code attribute}) and an Explainer-level form (validation, target resolution, the method and
 * the predictions; a forward pass of its own only for a top1 target). Times are sampled per call; compare medians.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@State(Scope.Benchmark)
public class ResNet18Benchmark {
    private ResNetFixture fixture;
    private ExplainOptions saliencyOptions;
    private ExplainOptions saliencyTop1Options;
    private ExplainOptions integratedGradientsOptions;

    @Setup(Level.Trial)
    public void open() {
        fixture = new ResNetFixture();
        saliencyOptions = fixture.explainOptions("saliency").build();
        saliencyTop1Options = ExplainOptions.builder("saliency").target(new Target.Predicted(ResNet18.OUTPUT)).build();
        integratedGradientsOptions = fixture.explainOptions("integrated-gradients").param("steps", 32).build();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        fixture.close();
    }

    /** One image through the model. */
    @Benchmark
    public Map<String, Tensor> forwardBatch1() {
        return fixture.model().forward(fixture.image());
    }

    /** 32 images through the model in one call. */
    @Benchmark
    public Map<String, Tensor> forwardBatch32() {
        return fixture.model().forward(fixture.batch());
    }

    /** The input gradient of one logit of one image: one vjp call. */
    @Benchmark
    public GradientResult saliencyEngine() {
        return fixture.inputGradient(fixture.image());
    }

    /** The saliency method on one image. */
    @Benchmark
    public Attribution saliencyMethod() {
        return fixture.attribute("saliency", Map.of(), null);
    }

    /**
     * Saliency through the Explainer facade for a class target: validation, the method, and the predictions from
     * the method's engine call.
     */
    @Benchmark
    public List<Explanation> saliencyExplainer() {
        return fixture.explainer().explain(fixture.model(), fixture.image(), saliencyOptions);
    }

    /** Saliency through the Explainer for the predicted class: a forward pass resolves the target first. */
    @Benchmark
    public List<Explanation> saliencyExplainerTop1() {
        return fixture.explainer().explain(fixture.model(), fixture.image(), saliencyTop1Options);
    }

    /** The input gradients of 32 images in one vjp call: the work of 32 integration steps. */
    @Benchmark
    public GradientResult integratedGradients32Engine() {
        return fixture.inputGradient(fixture.batch());
    }

    /**
     * Integrated gradients with 32 steps on one image: 32 path points plus the input and the baseline (for the
     * convergence delta), 34 rows in one engine call.
     */
    @Benchmark
    public Attribution integratedGradients32Method() {
        return fixture.attribute("integrated-gradients", Map.of("steps", "32"), null);
    }

    /** Integrated gradients with 32 steps through the Explainer for a class target. */
    @Benchmark
    public List<Explanation> integratedGradients32Explainer() {
        return fixture.explainer().explain(fixture.model(), fixture.image(), integratedGradientsOptions);
    }
}
