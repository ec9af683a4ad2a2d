package io.xai4j.bench;

import io.xai4j.api.ExplainOptions;
import io.xai4j.explain.Explanation;
import io.xai4j.spi.Attribution;
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
 * CAM methods on one {@link ResNet18} image, on the last stage's output {@link ResNet18#FEATURES}. The methods
 * are looked up by name, so this class needs the CAM module on the class path only when it runs.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 5)
@State(Scope.Benchmark)
public class CamBenchmark {
    private ResNetFixture fixture;
    private ExplainOptions gradCamOptions;

    @Setup(Level.Trial)
    public void open() {
        fixture = new ResNetFixture();
        gradCamOptions = fixture.explainOptions("grad-cam").layer(ResNet18.FEATURES).build();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        fixture.close();
    }

    @Benchmark
    public Attribution gradCam() {
        return fixture.attribute("grad-cam", Map.of(), ResNet18.FEATURES);
    }

    /** Grad-CAM through the Explainer for a class target, at the layer given by name. */
    @Benchmark
    public List<Explanation> gradCamExplainer() {
        return fixture.explainer().explain(fixture.model(), fixture.image(), gradCamOptions);
    }

    @Benchmark
    public Attribution scoreCam() {
        return fixture.attribute("score-cam", Map.of(), ResNet18.FEATURES);
    }

    @Benchmark
    public Attribution ablationCam() {
        return fixture.attribute("ablation-cam", Map.of(), ResNet18.FEATURES);
    }
}
