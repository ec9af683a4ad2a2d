package io.xai4j.cli;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.Xai;
import io.xai4j.batch.Batcher;
import io.xai4j.batch.ConsoleProgress;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.ErrorType;
import io.xai4j.error.XaiException;
import io.xai4j.image.Png;
import io.xai4j.image.Preprocessing;
import io.xai4j.io.AtomicFiles;
import io.xai4j.io.InputFiles;
import io.xai4j.io.Labels;
import io.xai4j.io.LoadedInput;
import io.xai4j.metric.Evaluation;
import io.xai4j.metric.EvaluationReport;
import io.xai4j.metric.MetricRegistry;
import io.xai4j.metric.localisation.GroundTruth;
import io.xai4j.render.CurvePlot;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.target.TargetParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xai4j evaluate}: trust metrics of one or more methods' explanations over inputs. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explains inputs with one or more methods and scores each explanation with trust metrics:",
            "deletion and insertion curves, the pointing games (given --boxes or --masks) and the completeness error",
            "methods report. Writes evaluation.json (summary, mean curves, per-input records), evaluations.jsonl",
            "(one line per input, as it finishes), a PNG of each curve metric's mean curves, and prints a table.",
            "Without --model and --input it evaluates the embedded demo model on its evaluation set (300 shape",
            "images with their true boxes)."})
final class EvaluateCommand implements Callable<Integer> {
    static final String REPORT = "evaluation.json";
    static final String RECORDS = "evaluations.jsonl";
    static final String EVAL_SET = "evalset/";
    static final String BOXES = "boxes.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "The ONNX model (default: the embedded demo model).")
    Path model;

    @Option(names = "--input", paramLabel = "FILE|DIR", description = "An image, a .npy tensor or a folder; repeatable.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--method", paramLabel = "NAME", split = ",", defaultValue = "saliency,integrated-gradients,grad-cam",
            description = "The methods to evaluate (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--metric", paramLabel = "NAME", split = ",", defaultValue = "deletion,insertion,pointing-game,"
            + "energy-pointing-game,completeness", description = "The metrics (default: ${DEFAULT-VALUE}); "
            + "'xai4j evaluate --list-metrics' lists them.")
    List<String> metrics;

    @Option(names = "--list-metrics", description = "List the installed metrics (with those of --plugins folders) and exit.")
    boolean listMetrics;

    @Option(names = "--target", paramLabel = "SPEC", defaultValue = "top1", description = "What to explain (default: ${DEFAULT-VALUE}); see 'xai4j explain --help'.")
    String target;

    @Option(names = "--layer", paramLabel = "TENSOR", description = "Layer of CAM and layer methods; see 'xai4j inspect'.")
    String layer;

    @Option(names = "--param", paramLabel = "[METHOD.]KEY=VALUE", description = "A method parameter, as for explain; repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--metric-param", paramLabel = "[METRIC.]KEY=VALUE", description = "A metric parameter, e.g. "
            + "deletion.steps=50 or steps=50 for every metric that takes it; repeatable.")
    Map<String, String> metricParams = new LinkedHashMap<>();

    @Mixin
    GroundTruthOptions truth;

    @Option(names = "--preprocess", paramLabel = "PRESET|SPEC", description = "Image preprocessing (default: imagenet).")
    String preprocess;

    @Option(names = "--labels", paramLabel = "FILE|imagenet", description = "Class names, as for explain.")
    String labels;

    @Option(names = "--batch-size", defaultValue = "" + Batcher.DEFAULT_MAX_BATCH, description = "Most inputs per model call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "" + ExplainOptions.DEFAULT_SEED, description = "Seed of stochastic methods and metrics (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "xai4j-evaluate", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Mixin
    PluginOptions plugins;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MetricRegistry registry = MetricRegistry.of(plugins.report());
        if (listMetrics) {
            registry.all().forEach(m -> out.println(m.descriptor().name() + "  (" + m.descriptor().kind().name()
                    .toLowerCase(java.util.Locale.ROOT) + ")  " + m.descriptor().description()));
            return 0;
        }
        if (batchSize < 1) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--batch-size must be >= 1, got " + batchSize);
        }
        TargetParser.parse(target);
        if (metrics.isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--metric needs one or more metric names separated by"
                    + " commas, e.g. --metric deletion,insertion; 'xai4j evaluate --list-metrics' lists them");
        }
        truth.check();
        Xai xai = plugins.injector().getInstance(Xai.class);
        Map<String, Map<String, String>> paramsByMethod = ExplainCommand.paramsByMethod(methods, params, xai.methods());
        Evaluation evaluation = new Evaluation(new Explainer(xai.methods()), registry,
                file -> xai.open(file, ModelOptions.defaults()));
        List<Evaluation.Choice> choices = evaluation.choices(metrics, metricParams);
        evaluation.check(choices);
        Demo demo = model == null ? Demo.extract() : null;
        Path evalSet = demo != null && inputs.isEmpty() ? extractEvalSet(demo) : null;
        List<Path> files = evalSet != null ? InputFiles.expand(List.of(evalSet)) : InputFiles.expand(inputs);
        files = files.stream().filter(f -> !f.getFileName().toString().equals(BOXES)).toList();
        Map<String, GroundTruth> truths = truth.boxes(evalSet != null ? evalSet.resolve(BOXES) : null);
        List<String> names = labels != null ? Labels.resolve(labels) : demo != null ? demo.labels() : List.of();
        Preprocessing preprocessing = Preprocessing.parse(preprocess != null ? preprocess
                : demo != null ? demo.preprocessing() : "imagenet");
        ConsoleProgress progress = ConsoleProgress.onStderr(err);
        Batcher batcher = new Batcher(batchSize, Batcher.DEFAULT_MEMORY_BUDGET, (task, done, total) -> { });
        EvaluationReport report = new EvaluationReport(methods);
        Path modelFile = demo == null ? model : demo.model();
        Files.createDirectories(outDir);
        RunFailures failures = new RunFailures(err, Cli.debug(spec), files.size() * methods.size());
        try (evaluation; Model loaded = xai.open(modelFile, ModelOptions.defaults());
                BufferedWriter records = Files.newBufferedWriter(outDir.resolve(RECORDS), StandardCharsets.UTF_8)) {
            List<String> classNames = Labels.forModel(names, loaded.signature()).names();
            Map<Path, String> inputNames = InputFiles.outputNames(files);
            int done = 0;
            for (Path file : files) {
                progress.progress("evaluate", done++, files.size());
                String name = inputNames.get(file);
                LoadedInput input;
                try {
                    input = LoadedInput.load(file, loaded.signature().firstInput(), preprocessing);
                } catch (XaiException e) {
                    if (files.size() == 1 || e.code().type() == ErrorType.USAGE) {
                        throw e;
                    }
                    int code = Cli.printError(e, name + ": ", err, false);
                    methods.forEach(m -> failures.failed(m + " on " + name, code));
                    write(records, report.failed(name, e));
                    continue;
                }
                List<GroundTruth> regions = Collections.nCopies(input.examples(), truth.truthOf(file, truths));
                List<Evaluation.Scored> scored = new ArrayList<>();
                Map<String, RuntimeException> failed = new LinkedHashMap<>();
                for (String method : methods) {
                    ExplainOptions options = ExplainOptions.builder(method).target(target)
                            .params(paramsByMethod.get(method)).layer(layer).seed(seed).batcher(batcher)
                            .classNames(classNames).build().describing(input);
                    RuntimeException error = failures.attempt(method + " on " + name, () -> scored.addAll(
                            evaluation.evaluate(loaded, Map.of(loaded.signature().firstInput().name(),
                                    input.tensor()), options, choices, regions, input.box())));
                    if (error != null) {
                        failed.put(method, error);
                    }
                }
                write(records, report.add(name, scored, failed));
            }
            progress.progress("evaluate", files.size(), files.size());
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", modelFile.getFileName().toString());
        settings.put("target", target);
        settings.put("methods", methods);
        settings.put("metrics", metrics);
        settings.put("metricParameters", metricParams);
        settings.put("seed", seed);
        AtomicFiles.write(outDir.resolve(REPORT), report.toJson(settings));
        for (String metric : report.metrics()) {
            Map<String, double[]> curves = report.meanCurves(metric);
            if (!curves.isEmpty()) {
                Path png = outDir.resolve(metric + ".png");
                boolean layers = metric.equals("mprt");
                Png.writeAtomically(CurvePlot.plot(metric + ": mean over " + report.records().size() + " inputs",
                        layers ? "fraction of layers randomised, from the output"
                                : "fraction of features " + (metric.equals("insertion") ? "added" : "removed"),
                        layers ? "Spearman correlation with the original map" : "target score", curves), png);
                out.println("curves: " + png);
            }
        }
        out.println("report: " + outDir.resolve(REPORT));
        out.println();
        out.print(report.table());
        out.flush();
        return failures.exitCode();
    }

    private static void write(BufferedWriter records, Map<String, Object> record) throws IOException {
        records.write(EvaluationReport.line(record));
        records.newLine();
        records.flush();
    }

    /** Copies the demo's evaluation set next to its model and returns its folder. */
    private static Path extractEvalSet(Demo demo) throws IOException {
        Path dir = demo.model().resolveSibling("evalset");
        Files.createDirectories(dir);
        Path boxesFile = Demo.copy(EVAL_SET + BOXES, demo.model().getParent());
        for (String image : GroundTruth.readBoxes(boxesFile).keySet()) {
            Demo.copy(EVAL_SET + image, demo.model().getParent());
        }
        return dir;
    }
}
