package io.xai4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.explain.ExplainerExport;
import io.xai4j.spi.GradientRequest;
import io.xai4j.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Set;
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
 * Exported explainer models ({@link ExplainerExport}) of the {@link ResNet18} run directly on ONNX Runtime
 * sessions with the engine's session settings (intra-op threads, all graph optimisations, no spinning after a run),
 * on one image for class {@link ResNetFixture#TARGET_CLASS}: saliency (compare with
 * {@link ResNet18Benchmark#saliencyEngine}) and integrated gradients with 32 steps, 34 rows with the input and the
 * baseline (compare with {@link ResNet18Benchmark#integratedGradients32Engine} and
 * {@link ResNet18Benchmark#integratedGradients32Method}), Ablation-CAM and Eigen-CAM at {@link ResNet18#FEATURES}
 * (compare with {@link CamBenchmark#ablationCam}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@State(Scope.Benchmark)
public class ExportedExplainerBenchmark {
    private ResNetFixture fixture;
    private OrtSession.SessionOptions options;
    private OrtSession saliency;
    private OrtSession integratedGradients;
    private OrtSession ablationCam;
    private OrtSession eigenCam;

    @Setup(Level.Trial)
    public void open() throws OrtException {
        fixture = new ResNetFixture();
        OnnxModel model = (OnnxModel) fixture.model();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(Integer.getInteger(ResNetFixture.THREADS_PROPERTY, 0));
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.addConfigEntry("session.force_spinning_stop", "1");
        saliency = env.createSession(ExplainerExport.build(model, ExplainerExport.Request.of(
                fixture.methods().get("saliency"))).model().toByteArray(), options);
        integratedGradients = env.createSession(ExplainerExport.build(model, new ExplainerExport.Request(
                fixture.methods().get("integrated-gradients"), Map.of("steps", "32"), null,
                GradientRequest.EXACT)).model().toByteArray(), options);
        ablationCam = env.createSession(camExplainer(model, "ablation-cam"), options);
        eigenCam = env.createSession(camExplainer(model, "eigen-cam"), options);
    }

    private byte[] camExplainer(OnnxModel model, String method) {
        return ExplainerExport.build(model, new ExplainerExport.Request(fixture.methods().get(method),
                Map.of(), ResNet18.FEATURES, GradientRequest.EXACT)).model().toByteArray();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        saliency.close();
        integratedGradients.close();
        ablationCam.close();
        eigenCam.close();
        options.close();
        fixture.close();
    }

    /** Exported saliency on one image: one run of the explainer model. */
    @Benchmark
    public float[] saliencyExported() throws OrtException {
        return attribution(saliency);
    }

    /** Exported integrated gradients, 32 steps, on one image: one run over 34 rows. */
    @Benchmark
    public float[] integratedGradients32Exported() throws OrtException {
        return attribution(integratedGradients);
    }

    /** Exported Ablation-CAM on one image: one run, the 513 rows of the layer through the classifier head. */
    @Benchmark
    public float[] ablationCamExported() throws OrtException {
        return attribution(ablationCam);
    }

    /** Exported Eigen-CAM on one image: one forward pass and the 49x49 Gram matrix squared 20 times. */
    @Benchmark
    public float[] eigenCamExported() throws OrtException {
        return attribution(eigenCam);
    }

    private float[] attribution(OrtSession session) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Tensor image = fixture.image().get(ResNet18.INPUT);
        long[] shape = {1, ResNet18.IMAGE_SHAPE[0], ResNet18.IMAGE_SHAPE[1], ResNet18.IMAGE_SHAPE[2]};
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(image.toArray()), shape);
                OnnxTensor target = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {ResNetFixture.TARGET_CLASS}),
                        new long[] {1});
                OrtSession.Result result = session.run(Map.of(ResNet18.INPUT, x, "target", target),
                        Set.of("attribution"))) {
            FloatBuffer b = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }
    }
}
