package io.xai4j.bench;

import io.xai4j.batch.Batcher;
import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import io.xai4j.metric.faithfulness.Deletion;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * A deletion curve of {@value #STEPS} points (pixels, most relevant first, zero baseline) on one {@link ResNet18}
 * image, batched {@value #BATCH} rows per model call: {@code ceil(100 / 32) = 4} calls. Its time is reported as a
 * ratio to {@link #forwardBatch1()} of the same run.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 5)
@State(Scope.Benchmark)
public class MetricBenchmark {
    static final int STEPS = 100;
    static final int BATCH = 32;
    private ResNetFixture fixture;
    private MetricRequest request;
    private MetricContext context;

    @Setup(Level.Trial)
    public void open() {
        fixture = new ResNetFixture();
        Random random = new Random(3);
        Tensor attribution = Tensor.zeros(1, ResNet18.IMAGE_SHAPE[0], ResNet18.IMAGE_SHAPE[1], ResNet18.IMAGE_SHAPE[2]);
        for (int e = 0; e < attribution.size(); e++) {
            attribution.set(e, (float) random.nextGaussian());
        }
        Deletion deletion = new Deletion();
        request = new MetricRequest(fixture.image(), ResNet18.INPUT, fixture.imageTarget(), attribution, Map.of(),
                List.of(), deletion.descriptor().parse(Map.of("steps", STEPS)));
        context = new MetricContext(fixture.model(), Batcher.defaults().withMaxBatchSize(BATCH), 0, null);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        fixture.close();
    }

    @Benchmark
    public Map<String, Tensor> forwardBatch1() {
        return fixture.model().forward(fixture.image());
    }

    @Benchmark
    public MetricResult deletion100Steps() {
        return new Deletion().evaluate(context, request);
    }
}
