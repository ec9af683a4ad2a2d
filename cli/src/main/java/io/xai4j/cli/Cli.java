package io.xai4j.cli;

import io.xai4j.error.XaiException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code xai4j} command tree. {@link #create()} is shared by {@link Main} and the tests. */
@Command(name = "xai4j", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "Explains the predictions of ONNX models.",
        subcommands = {ExplainCommand.class, CompareCommand.class, MethodsCommand.class, InspectCommand.class, PluginsCommand.class,
            ExportGradientsCommand.class, GradcheckCommand.class},
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
        PrintWriter err = cmd.getErr();
        boolean debug = parsed.hasMatchedOption("--debug")
                || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--debug"));
        if (ex instanceof XaiException x) {
            err.println("error: " + x.getMessage());
            if (debug) {
                x.printStackTrace(err);
            }
            err.flush();
            return x.exitCode();
        }
        err.println("internal error: " + ex + (debug ? "" : " (rerun with --debug for the stack trace)"));
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return INTERNAL_ERROR;
    }
}
