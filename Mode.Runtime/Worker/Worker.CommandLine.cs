namespace Mode;

// Running the Worker from Main: argument parsing, --help and --version, usage errors (exit 2).
public partial class Worker
{
    /// <summary>
    /// Parses <paramref name="args"/>, then runs the services until they stop; returns the process
    /// exit code. Blocks the calling thread (meant for <c>Main</c>); see
    /// <see cref="ExecuteFromCommandLineAsync"/>.
    /// </summary>
    /// <param name="args">The arguments (default: the process's, without the program name).</param>
    public int ExecuteFromCommandLine(string[]? args = null)
    {
        // First thing: from here on a SIGINT/SIGTERM is a clean stop, not the default kill.
        InstallSignalHandlersEarly();
        return Task.Run(() => ExecuteFromCommandLineAsync(args)).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Parses <paramref name="args"/> (see <see cref="CommandLine"/>), then <see cref="ExecuteAsync"/>.
    /// <c>--help</c> and <c>--version</c> print to standard output and return 0; an unknown or
    /// malformed argument prints the error and the usage to standard error and returns 2.
    /// </summary>
    /// <param name="args">The arguments (default: the process's, without the program name).</param>
    /// <param name="cancellationToken">Cancelling it stops the worker gracefully.</param>
    /// <returns>The process exit code.</returns>
    public async Task<int> ExecuteFromCommandLineAsync(string[]? args = null, CancellationToken cancellationToken = default)
    {
        // First thing: a signal while the command line is parsed or the tree is built is a clean
        // stop (the start is skipped), not the default kill.
        InstallSignalHandlersEarly();
        try
        {
            args ??= Environment.GetCommandLineArgs()[1..];
            if (Interlocked.Exchange(ref _commandLineConfigured, 1) == 0)
            {
                ConfigureCommandLine(CommandLine);
            }

            var parsed = CommandLine.Parse(args);
            switch (parsed.Outcome)
            {
                case ParseOutcome.Help:
                    CommandLine.WriteUsage(Out, ProgramName);
                    return 0;
                case ParseOutcome.Version:
                    Out.Write($"{ProgramName} {Options.Version ?? DefaultVersion()}\n");
                    return 0;
                case ParseOutcome.Error:
                    var usage = new StringWriter();
                    CommandLine.WriteUsage(usage, ProgramName);
                    Error.Write($"{ProgramName}: error: {parsed.Error}\n\n{usage}");
                    return ExitUsage;
            }

            try
            {
                SetUpLogging();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                Error.Write($"{ProgramName}: error: cannot open log file '{Options.LogFile}': {ex.Message}\n");
                return ExitUsage;
            }

            return await ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            RemoveSignalHandlers();
        }
    }

    /// <summary>Called once before the command line is parsed: a subclass adds its own options here.</summary>
    /// <param name="commandLine">The worker's <see cref="CommandLine"/>.</param>
    protected virtual void ConfigureCommandLine(WorkerCommandLine commandLine)
    {
    }

    private string ProgramName => Options.ProgramName ?? DefaultProgramName();

    private static string DefaultProgramName()
    {
        var args = Environment.GetCommandLineArgs();
        var name = args.Length > 0 ? Path.GetFileNameWithoutExtension(args[0]) : null;
        return string.IsNullOrEmpty(name) ? "worker" : name;
    }

    private static string DefaultVersion() =>
        System.Reflection.Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "0.0.0";
}
