package io.xai4j.cli;

import com.google.inject.Injector;
import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Xai;
import io.xai4j.batch.Batcher;
import io.xai4j.batch.ConsoleProgress;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.ErrorType;
import io.xai4j.error.XaiException;
import io.xai4j.image.Preprocessing;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.io.InputFiles;
import io.xai4j.io.Labels;
import io.xai4j.io.LoadedInput;
import io.xai4j.io.RunRecords;
import io.xai4j.onnx.grad.RuleSets;
import io.xai4j.render.HeatmapStyle;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.spi.TensorSpec;
import io.xai4j.target.Target;
import io.xai4j.target.TargetParser;
import io.xai4j.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xai4j explain}: attributions for one or more inputs, written as NPY, PNG and JSON. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explains a model's prediction for each input.",
            "Without --model and --input it runs the embedded demo: a small CNN trained on coloured shapes."})
final class ExplainCommand implements Callable<Integer> {
    private static final String LOW = "low";
    private static final String HIGH = "high";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "The ONNX model (default: the embedded demo model).")
    Path model;

    @Option(names = "--input", paramLabel = "FILE|DIR", description = {"An image (png, jpg, bmp) or a .npy tensor, or a"
            + " folder of them (searched recursively; one", "record per input in explanations.jsonl, bad files skipped);"
            + " repeatable."})
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--feed", paramLabel = "NAME=FILE", description = {"A .npy value of another model input (an"
            + " attention mask, token type ids), used with every --input; repeatable.",
        "One example, used for every example, or one row per example. The first model input is the one explained."})
    List<String> feeds = new ArrayList<>();

    @Option(names = "--method", paramLabel = "NAME", split = ",", description = {"Attribution method(s), e.g."
            + " occlusion,rise (default: ${DEFAULT-VALUE}); see 'xai4j methods'.", "A method that fails is reported and"
            + " the others go on; the run exits with the first failure's code."}, defaultValue = "occlusion")
    List<String> methods;

    @Option(names = "--target", paramLabel = "SPEC", defaultValue = "top1", description = {
        "What to explain (default: ${DEFAULT-VALUE}): 3 (class 3), exit2:3 (class 3 of output exit2),",
        "top1 (predicted class), top:5 (each of the top 5), logits[0:16,3] (sum over a slice), 3;5 (per input),",
        "matrix:3 (for a per-step output [N,T,C]: the output step x input step matrix of class 3).",
        "Repeat to compare targets, e.g. --target exit1:3 --target exit2:3: the agreement of the maps is printed."})
    List<String> targets;

    @Option(names = "--layer", paramLabel = "TENSOR", description = {"Intermediate tensor (or node or scope) to attribute to; see 'xai4j inspect'.",
        "Without it, CAM methods choose one; gradient methods attribute to the input,",
        "or to its embedding lookup for token ids."})
    String layer;

    @Option(names = "--param", paramLabel = "[METHOD.]KEY=VALUE", description = {
        "A method parameter, e.g. window=3,16,16; repeatable. With several methods, a plain KEY goes to",
        "each method that has it, and METHOD.KEY (e.g. rise.masks=200) to one method only;",
        "base.KEY (e.g. base.steps=16) goes to the base method of smoothgrad, smoothgrad-sq and vargrad."})
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--preprocess", paramLabel = "PRESET|SPEC", description = "Image preprocessing: imagenet, none, or key=value list (default: imagenet).")
    String preprocess;

    @Option(names = "--labels", paramLabel = "FILE|imagenet", description = {"Class names in index order: a text"
            + " file (one per line), a JSON file ([\"name\", ...] or {\"0\": \"name\"}) or imagenet (built in;",
        "the default for outputs of 1000 classes)."})
    String labels;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda[:id] (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--cpu-fallback", description = "Use the CPU when the requested device is unavailable.")
    boolean cpuFallback;

    @Option(names = "--out", converter = Cli.OutputPath.class, paramLabel = "DIR", defaultValue = "xai4j-out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Mixin
    PictureOptions picture;

    @Option(names = "--batch-size", defaultValue = "" + Batcher.DEFAULT_MAX_BATCH, description = "Most inputs per model call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "" + ExplainOptions.DEFAULT_SEED, description = "Seed of stochastic methods (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rules", defaultValue = GradientRequest.EXACT, paramLabel = "NAME", description = {
        "Backward rule set of gradient methods (default: ${DEFAULT-VALUE}, the true gradient); see 'xai4j plugins'."})
    String rules;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Cli.DurationArgument.class, description = {
        "Stop the run after this long (e.g. 30s, 5m), exit code 8; explanations not finished by then write nothing."})
    Duration timeout;

    @Mixin
    PluginOptions plugins;

    @Override
    public Integer call() {
        return Cli.withTimeout(timeout, this::run);
    }

    private Integer run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batchSize < 1) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--batch-size must be >= 1, got " + batchSize);
        }
        Injector injector = plugins.injector();
        RuleSets.with(plugins.report().backwardRuleSets()).require(rules);
        HeatmapStyle style = picture.style();
        List<Target> parsedTargets = targets.stream().map(TargetParser::parse).toList();

        if (model != null && inputs.isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--model needs at least one --input (an image or a .npy tensor)");
        }
        Demo demo = model == null ? Demo.extract() : null;
        Path modelFile = demo == null ? model : demo.model();
        List<Path> inputFiles = !inputs.isEmpty() ? InputFiles.expand(inputs) : List.of(demo.defaultSample());
        List<String> classNames = labels != null ? Labels.resolve(labels) : demo != null ? demo.labels() : List.of();
        Preprocessing preprocessing = Preprocessing.parse(preprocess != null ? preprocess
                : demo != null ? demo.preprocessing() : "imagenet");
        if (demo != null) {
            out.println("Running the embedded demo model " + Demo.MODEL + " (classes: " + String.join(", ", classNames)
                    + ")" + (inputs.isEmpty() ? " on its sample " + Demo.DEFAULT_SAMPLE : ""));
        }

        Xai xai = injector.getInstance(Xai.class);
        Map<String, Map<String, String>> paramsByMethod = paramsByMethod(methods, params, xai.methods());
        Batcher batcher = new Batcher(batchSize, Batcher.DEFAULT_MEMORY_BUDGET, ConsoleProgress.onStderr(err));
        try (Model loaded = xai.open(modelFile, ModelOptions.defaults()
                .withDevice(device, cpuFallback))) {
            TensorSpec inputSpec = loaded.signature().firstInput();
            Map<String, Tensor> fed = fedInputs(loaded, inputSpec.name());
            Labels.Choice labelChoice = Labels.forModel(classNames, loaded.signature());
            if (labelChoice.note() != null) {
                out.println("note: " + labelChoice.note());
            }
            RunRecords records = InputFiles.anyFolder(inputs) ? RunRecords.create(outDir) : null;
            Map<Path, XaiException> skipped = new LinkedHashMap<>();
            List<LoadedInput> loadedInputs = load(inputFiles, inputSpec, preprocessing, records != null, skipped);
            List<Integer> examples = loadedInputs.stream().map(LoadedInput::examples).toList();
            List<List<Target>> targetsByInput = parsedTargets.stream()
                    .map(t -> ExplainRun.targetsPerInput(t, examples)).toList();
            ExplainRun run = new ExplainRun(xai, loaded, fed, style, outDir, InputFiles.outputNames(inputFiles),
                    examples.stream().mapToInt(Integer::intValue).sum() > 1 || methods.size() > 1, parsedTargets,
                    records, out);
            ConsoleProgress inputProgress = ConsoleProgress.onStderr(err);
            RunFailures failures = new RunFailures(err, Cli.debug(spec), loadedInputs.size() * methods.size());
            int i = -1;
            for (Path file : inputFiles) {
                XaiException bad = skipped.get(file);
                if (bad != null) {
                    records.failed(file, bad);
                    err.println("skipped " + file + ": " + bad.getMessage());
                    continue;
                }
                int index = ++i;
                LoadedInput input = loadedInputs.get(index);
                List<Target> perInput = targetsByInput.stream().map(t -> t.get(index)).toList();
                for (String method : methods) {
                    ExplainOptions.Builder options = ExplainOptions.builder(method)
                            .params(withValueRange(xai.methods().get(method).descriptor(), paramsByMethod.get(method),
                                    input.image() != null ? preprocessing : null)).layer(layer).seed(seed).ruleSet(rules)
                            .batcher(batcher).classNames(labelChoice.names());
                    failures.attempt(method + " on " + input.source().getFileName(),
                            () -> run.explain(input, method, options, perInput));
                }
                if (records != null) {
                    records.succeeded(input.source());
                }
                inputProgress.progress("inputs", i + 1, loadedInputs.size());
            }
            if (records != null) {
                records.close();
                out.println("records: " + outDir.resolve(RunRecords.FILE));
            }
            return failures.exitCode();
        }
    }

    /**
     * Reads the input files. In a run over folders ({@code skipBad}) a file that is not a valid input goes to
     * {@code skipped} with its error; otherwise it stops the run.
     */
    private static List<LoadedInput> load(List<Path> files, TensorSpec spec, Preprocessing preprocessing,
            boolean skipBad, Map<Path, XaiException> skipped) {
        List<LoadedInput> loaded = new ArrayList<>();
        for (Path file : files) {
            try {
                loaded.add(LoadedInput.load(file, spec, preprocessing));
            } catch (XaiException e) {
                if (!skipBad || e.code().type() != ErrorType.INPUT) {
                    throw e;
                }
                skipped.put(file, e);
            }
        }
        return loaded;
    }

    /**
     * The {@code --feed} values by input name, each one example (used for every example) or one row per example;
     * every other model input must be among them.
     */
    private Map<String, Tensor> fedInputs(Model loaded, String explained) {
        Map<String, Tensor> fed = new LinkedHashMap<>();
        for (String feed : feeds) {
            int eq = feed.indexOf('=');
            String name = eq > 0 ? feed.substring(0, eq) : "";
            TensorSpec spec = loaded.signature().inputs().stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new XaiException(ErrorCode.INVALID_ARGUMENT, "--feed '" + feed + "' must be"
                            + " NAME=FILE with NAME a model input other than '" + explained + "'; the inputs are "
                            + loaded.signature().inputNames()));
            if (name.equals(explained)) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--feed names '" + explained + "', the input"
                        + " being explained; give its values with --input");
            }
            fed.put(name, LoadedInput.load(Path.of(feed.substring(eq + 1)), spec, Preprocessing.NONE).tensor());
        }
        List<String> missing = loaded.signature().inputNames().stream()
                .filter(n -> !n.equals(explained) && !fed.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "the model also needs input" + (missing.size() > 1
                    ? "s " : " ") + missing + "; give " + (missing.size() > 1 ? "each" : "it") + " with --feed NAME=FILE"
                    + " (a .npy of one example, or of one row per example)");
        }
        return fed;
    }

    /**
     * The parameters of a method that takes the input's value range as {@code low} and {@code high} (LRP's box
     * rule), with the range {@code preprocessing} gives pixels when neither is given; null preprocessing for NPY
     * input leaves them alone.
     */
    static Map<String, String> withValueRange(MethodDescriptor method, Map<String, String> params,
            Preprocessing preprocessing) {
        if (preprocessing == null || method.parameter(LOW).isEmpty() || method.parameter(HIGH).isEmpty()
                || params.containsKey(LOW) || params.containsKey(HIGH)) {
            return params;
        }
        String[] range = preprocessing.valueRangeText();
        Map<String, String> with = new LinkedHashMap<>(params);
        with.put(LOW, range[0]);
        with.put(HIGH, range[1]);
        return with;
    }

    /** Splits {@code --param} values by method (an empty method list is a usage error); see the option's description. */
    static Map<String, Map<String, String>> paramsByMethod(List<String> methods, Map<String, String> params,
            MethodRegistry registry) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (String method : Cli.requireMethods(methods)) {
            registry.get(method);
            result.put(method, new LinkedHashMap<>());
        }
        params.forEach((key, value) -> {
            int dot = key.indexOf('.');
            List<String> takers = methods.stream()
                    .filter(m -> registry.get(m).descriptor().parameter(key).isPresent()).toList();
            if (dot > 0 && (result.containsKey(key.substring(0, dot)) || takers.isEmpty())) {
                String method = key.substring(0, dot);
                if (!result.containsKey(method)) {
                    throw new XaiException(ErrorCode.UNKNOWN_PARAMETER, "--param " + key + " names method '" + method
                            + "', which is not among the selected methods " + methods);
                }
                result.get(method).put(key.substring(dot + 1), value);
                return;
            }
            for (String method : takers.isEmpty() ? methods : takers) {
                result.get(method).put(key, value);
            }
        });
        return result;
    }

}
