package io.xai4j.cli;

import io.xai4j.api.Cancellation;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Images;
import io.xai4j.io.IoErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code xai4j} command tree. {@link #create()} is shared by {@link Main} and the tests. */
@Command(name = "xai4j", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "Explains the predictions of ONNX models.",
        subcommands = {ExplainCommand.class, CompareCommand.class, EvaluateCommand.class, MethodsCommand.class, InspectCommand.class,
            PluginsCommand.class, ExportGradientsCommand.class, ExportExplainerCommand.class, GradcheckCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:success",
            " 1:internal error (a bug; rerun with --debug and report it)",
            " 2:usage error: bad option, unknown method, parameter, target or layer",
            " 3:bad input: unreadable image or NPY, shape or dtype mismatch, NaN",
            " 4:bad model: missing, corrupt, not ONNX, or unsupported",
            " 5:plugin error: a plugin folder is missing, a plugin fails",
            " 6:resource error: device unavailable, cannot write output",
            " 7:gradcheck: the analytic gradient differs from finite differences",
            " 8:cancelled: the run exceeded --timeout"})
public final class Cli implements Runnable {
    /** Exit code for an unexpected exception. */
    public static final int INTERNAL_ERROR = 1;
    /** Exit code of {@code gradcheck} when some direction exceeds the tolerance. */
    public static final int GRADCHECK_FAILED = 7;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Sets the process-wide image size limit (the property {@value Images#MAX_PIXELS_PROPERTY}). */
    @Option(names = "--max-pixels", scope = ScopeType.INHERIT, paramLabel = "N", description = "Largest image decoded,"
            + " in pixels (default " + Images.DEFAULT_MAX_PIXELS + "); larger images are refused before decoding.")
    void maxPixels(long pixels) {
        if (pixels < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-pixels must be >= 1, got " + pixels);
        }
        System.setProperty(Images.MAX_PIXELS_PROPERTY, Long.toString(pixels));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine create() {
        CommandLine cli = new CommandLine(new Cli());
        cli.setExecutionExceptionHandler(Cli::handleError);
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            err.println("run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage");
            return CommandLine.ExitCode.USAGE;
        });
        return cli;
    }

    private static int handleError(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean debug = parsed.hasMatchedOption("--debug")
                || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--debug"));
        return printError(ex, "", cmd.getErr(), debug);
    }

    /**
     * Prints an error as the command line reports it ({@code error: ...}, or {@code internal error: ...} for an
     * unexpected exception; a file system error that no command described is a resource error, not a bug), after
     * {@code context} (empty, or e.g. {@code grad-cam on x.png: }), with the stack trace when {@code debug}, and
     * returns its exit code.
     */
    static int printError(Exception ex, String context, PrintWriter err, boolean debug) {
        if (ex instanceof UncheckedIOException unchecked) {
            ex = unchecked.getCause();
        }
        if (ex instanceof IOException io) {
            ex = IoErrors.of(io);
        }
        int code;
        if (ex instanceof XaiException x) {
            err.println("error: " + context + x.getMessage());
            code = x.exitCode();
        } else {
            err.println("internal error: " + context + ex + (debug ? "" : " (rerun with --debug for the stack trace)"));
            code = INTERNAL_ERROR;
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** A {@code --method} list: empty ({@code --method ,}) or with a blank name, it is a usage error. */
    static List<String> requireMethods(List<String> methods) {
        if (methods.isEmpty() || methods.stream().anyMatch(String::isBlank)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--method needs one or more method names separated by"
                    + " commas, e.g. --method saliency,grad-cam; see 'xai4j methods'");
        }
        return methods;
    }

    /**
     * Refuses a list option given with no names or a blank one ({@code --feed ,}), which would otherwise read as
     * the option left out.
     */
    static void requireNames(CommandLine.Model.CommandSpec spec, String option, List<String> names) {
        boolean given = spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
        if (given && (names.isEmpty() || names.stream().anyMatch(String::isBlank))) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, option + " needs one or more tensor names separated by"
                    + " commas, without blanks; see 'xai4j inspect' for the names");
        }
    }

    /** Converts an output path option, refusing an empty one ({@code --out ''}) rather than writing to the current folder. */
    static final class OutputPath implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isBlank()) {
                throw new CommandLine.TypeConversionException("the path is empty; name a file or folder");
            }
            return Path.of(value);
        }
    }

    /** Converts a duration: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT1M30S}). */
    /** Runs {@code run}, cancelled after {@code timeout} when one is given (exit code 8, nothing written). */
    static Integer withTimeout(Duration timeout, Supplier<Integer> run) {
        if (timeout == null) {
            return run.get();
        }
        try (Cancellation limit = Cancellation.after(timeout)) {
            return limit.call(run);
        }
    }

    static final class DurationArgument implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher m = SIMPLE.matcher(value.strip().toLowerCase(Locale.ROOT));
            Duration d;
            try {
                d = m.matches() ? Duration.ofNanos(Math.round(Double.parseDouble(m.group(1)) * switch (m.group(2)) {
                    case "ms" -> 1e6;
                    case "s" -> 1e9;
                    case "m" -> 60e9;
                    default -> 3600e9;
                })) : Duration.parse(value.strip());
            } catch (DateTimeParseException e) {
                d = null;
            }
            if (d == null || d.isNegative() || d.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration; write e.g."
                        + " 30s, 500ms, 2m, 1h or PT1M30S");
            }
            return d;
        }
    }

    /** Whether {@code --debug} was given, before or after the subcommand of {@code spec}. */
    static boolean debug(CommandLine.Model.CommandSpec spec) {
        for (CommandLine.Model.CommandSpec s = spec; s != null; s = s.parent()) {
            CommandLine.ParseResult parsed = s.commandLine().getParseResult();
            if (parsed != null && parsed.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
