package io.xai4j.cli;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.Xai;
import io.xai4j.batch.Batcher;
import io.xai4j.batch.ConsoleProgress;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.ErrorType;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.image.Png;
import io.xai4j.image.Preprocessing;
import io.xai4j.io.AtomicFiles;
import io.xai4j.io.ExplanationFiles;
import io.xai4j.io.InputFiles;
import io.xai4j.io.Labels;
import io.xai4j.io.LoadedInput;
import io.xai4j.io.OutputSet;
import io.xai4j.metric.Evaluation;
import io.xai4j.metric.MetricRegistry;
import io.xai4j.metric.localisation.GroundTruth;
import io.xai4j.render.HeatmapStyle;
import io.xai4j.report.Comparison;
import io.xai4j.report.HtmlReport;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.spi.TensorSpec;
import io.xai4j.target.TargetParser;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xai4j compare}: several methods on one or more inputs, as a grid PNG and an HTML report. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs several methods on one or more inputs and writes grid.png (rows inputs, columns methods)",
            "and report.html (self-contained: pictures, parameters, timings, predictions, and the scores of --metric).",
            "Without --model and --input it compares on the embedded demo model and two of its samples."})
final class CompareCommand implements Callable<Integer> {
    static final String GRID = "grid.png";
    static final String REPORT = "report.html";
    /** The grid and its report appear together or not at all, never one of another run. */
    private static final OutputSet OUTPUTS = new OutputSet(Set.of(GRID, REPORT));

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "The ONNX model (default: the embedded demo model).")
    Path model;

    @Option(names = "--input", paramLabel = "FILE|DIR", description = "An image, a .npy tensor or a folder; repeatable.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--method", paramLabel = "NAME", split = ",", defaultValue = "saliency,integrated-gradients,"
            + "grad-cam,occlusion,rise", description = "The methods, one column each (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--target", paramLabel = "SPEC", defaultValue = "top1", description = "What to explain (default: ${DEFAULT-VALUE}); see 'xai4j explain --help'.")
    String target;

    @Option(names = "--layer", paramLabel = "TENSOR", description = "Layer of CAM and layer methods; see 'xai4j inspect'.")
    String layer;

    @Option(names = "--param", paramLabel = "[METHOD.]KEY=VALUE", description = "A method parameter, as for explain; repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--metric", paramLabel = "NAME", split = ",", description = "Score every cell with these metrics "
            + "(repeatable; none by default), shown in a section of the report; 'xai4j evaluate --list-metrics' "
            + "lists them.")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--metric-param", paramLabel = "[METRIC.]KEY=VALUE", description = "A metric parameter, as for "
            + "evaluate; repeatable.")
    Map<String, String> metricParams = new LinkedHashMap<>();

    @Mixin
    GroundTruthOptions truth;

    @Option(names = "--preprocess", paramLabel = "PRESET|SPEC", description = "Image preprocessing (default: imagenet).")
    String preprocess;

    @Option(names = "--labels", paramLabel = "FILE|imagenet", description = "Class names, as for explain.")
    String labels;

    @Option(names = "--out", converter = Cli.OutputPath.class, paramLabel = "DIR", defaultValue = "xai4j-compare", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--cell-width", paramLabel = "PIXELS", defaultValue = "" + Comparison.CELL_WIDTH, description =
            "Width of each picture in the grid (default: ${DEFAULT-VALUE}).")
    int cellWidth;

    @Option(names = "--seed", defaultValue = "" + ExplainOptions.DEFAULT_SEED, description = "Seed of stochastic methods (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    PictureOptions picture;

    @Mixin
    PluginOptions plugins;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Cli.DurationArgument.class, description = {
        "Stop the run after this long (e.g. 30s, 5m), exit code 8; the grid and the report are then not written."})
    Duration timeout;

    @Override
    public Integer call() {
        return Cli.withTimeout(timeout, this::run);
    }

    private Integer run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HeatmapStyle style = picture.style();
        if (cellWidth < 64 || cellWidth > 2048) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--cell-width must be in 64..2048, got " + cellWidth);
        }
        TargetParser.parse(target);
        Demo demo = model == null ? Demo.extract() : null;
        List<Path> files = !inputs.isEmpty() ? InputFiles.expand(inputs)
                : List.of(demo.defaultSample(), demo.defaultSample().resolveSibling("two-shapes-2.png"));
        List<String> names = labels != null ? Labels.resolve(labels) : demo != null ? demo.labels() : List.of();
        Preprocessing preprocessing = Preprocessing.parse(preprocess != null ? preprocess
                : demo != null ? demo.preprocessing() : "imagenet");
        Xai xai = plugins.injector().getInstance(Xai.class);
        Map<String, Map<String, String>> paramsByMethod = ExplainCommand.paramsByMethod(methods, params, xai.methods());
        Batcher batcher = new Batcher(Batcher.DEFAULT_MAX_BATCH, Batcher.DEFAULT_MEMORY_BUDGET,
                ConsoleProgress.onStderr(err));
        Comparison comparison = new Comparison();
        MetricRegistry metricRegistry = MetricRegistry.of(plugins.report());
        Evaluation evaluation = new Evaluation(new Explainer(xai.methods()), metricRegistry,
                file -> xai.open(file, ModelOptions.defaults()));
        List<Evaluation.Choice> choices = evaluation.choices(metrics, metricParams);
        evaluation.check(choices);
        comparison.scoreWith(metrics.stream().map(m -> metricRegistry.get(m).descriptor()).toList());
        truth.check();
        Map<String, GroundTruth> truths = truth.boxes(null);
        RunFailures failures = new RunFailures(err, Cli.debug(spec), files.size() * methods.size());
        Path modelFile = demo == null ? model : demo.model();
        try (evaluation; Model loaded = xai.open(modelFile, ModelOptions.defaults())) {
            TensorSpec inputSpec = loaded.signature().firstInput();
            List<String> classNames = Labels.forModel(names, loaded.signature()).names();
            Map<Path, String> inputNames = InputFiles.outputNames(files);
            for (Path file : files) {
                LoadedInput input;
                try {
                    input = LoadedInput.load(file, inputSpec, preprocessing);
                } catch (XaiException e) {
                    if (e.code().type() != ErrorType.INPUT) {
                        throw e;
                    }
                    comparison.addUnreadable(inputNames.get(file), e.getMessage());
                    methods.forEach(m -> failures.failed(m + " on " + inputNames.get(file), e.exitCode()));
                    err.println("skipped " + file + ": " + e.getMessage());
                    continue;
                }
                for (String method : methods) {
                    ExplainOptions options = ExplainOptions.builder(method).target(target)
                            .params(ExplainCommand.withValueRange(xai.methods().get(method).descriptor(),
                                    paramsByMethod.get(method), input.image() != null ? preprocessing : null))
                            .layer(layer).seed(seed).batcher(batcher)
                            .classNames(classNames).build();
                    try {
                        Explanation e;
                        if (choices.isEmpty()) {
                            e = xai.explain(loaded, input, options).get(0);
                        } else {
                            Evaluation.Scored scored = evaluation.evaluate(loaded, Map.of(inputSpec.name(),
                                    input.tensor()), options.describing(input), choices, Collections.nCopies(
                                    input.examples(), truth.truthOf(file, truths)), input.box())
                                    .get(0);
                            e = scored.explanation();
                            comparison.addScores(inputNames.get(file), method, scored.results());
                        }
                        comparison.add(new Comparison.Cell(inputNames.get(file), method,
                                ExplanationFiles.picture(e, input, style), e, null));
                        out.printf(Locale.ROOT, "%s: %s in %.0f ms%n", inputNames.get(file), method,
                                e.provenance().timingsMillis().getOrDefault("attribution", 0.0));
                        if (e.details().get(Explainer.WARNINGS) instanceof List<?> warnings) {
                            warnings.forEach(w -> out.println("  warning: " + w));
                        }
                    } catch (XaiException e) {
                        if (e.code() == ErrorCode.CANCELLED || e.code().type() == ErrorType.USAGE
                                && e.code() != ErrorCode.MISSING_CAPABILITY && e.code() != ErrorCode.UNKNOWN_TARGET) {
                            throw e; // a cancelled run stops whole; a usage error would fail every cell alike
                        }
                        comparison.add(new Comparison.Cell(inputNames.get(file), method, null, null, e.getMessage()));
                        failures.failed(method + " on " + inputNames.get(file), e.exitCode());
                        err.println(inputNames.get(file) + ": " + method + " failed: " + e.getMessage());
                    }
                }
            }
        }
        Path grid = outDir.resolve(GRID);
        Path report = outDir.resolve(REPORT);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("model", modelFile.getFileName().toString());
        settings.put("target", target);
        settings.put("methods", String.join(", ", methods));
        if (!metrics.isEmpty()) {
            settings.put("metrics", String.join(", ", metrics) + (metricParams.isEmpty() ? ""
                    : " (" + metricParams.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue())
                            .collect(java.util.stream.Collectors.joining(", ")) + ")"));
        }
        write(comparison.grid(cellWidth), HtmlReport.render(comparison, "xai4j comparison", settings));
        out.println("grid:   " + grid);
        out.println("report: " + report);
        return failures.exitCode();
    }

    /** Writes the grid and the report as one set: both appear, or neither, never one of another run. */
    private void write(BufferedImage grid, String report) {
        byte[] html = report.getBytes(StandardCharsets.UTF_8);
        Map<String, AtomicFiles.Content> files = new LinkedHashMap<>();
        files.put(GRID, stream -> Png.write(grid, stream));
        files.put(REPORT, stream -> stream.write(html));
        OUTPUTS.write(outDir, files);
    }
}
