package io.xai4j.cli;

import io.xai4j.error.XaiException;
import io.xai4j.image.Images;
import java.io.PrintWriter;
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
            " 7:gradcheck: the analytic gradient differs from finite differences"})
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
     * unexpected exception), after {@code context} (empty, or e.g. {@code grad-cam on x.png: }), with the stack
     * trace when {@code debug}, and returns its exit code.
     */
    static int printError(Exception ex, String context, PrintWriter err, boolean debug) {
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
