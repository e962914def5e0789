using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Mode.Logging;

namespace Mode;

/// <summary>
/// Runs one or more services as a program (Mode's <c>Worker</c>): configures logging, starts the
/// services under its own beacon root, waits until something stops or crashes them, stops everything
/// in reverse order and returns the process exit code.
/// </summary>
/// <remarks>
/// <para><c>return new Worker(app).ExecuteFromCommandLine(args);</c> in <c>Main</c> is the whole
/// program. SIGINT or SIGTERM logs "Stopping on signal received..." and stops gracefully (exit 0); a
/// second one during the stop exits at once with 128 + the signal number (130 for SIGINT). SIGUSR1
/// writes the service tree (state, diagnostic flags, running tasks) to standard error.</para>
/// <para>Exit codes: the one given to <see cref="Stop"/> if a service asked; otherwise 1 after a crash,
/// a failed start (what started is stopped first) or a failed stop; 0 after a clean stop; 2 for bad
/// arguments. The Worker returns as soon as the tree is down: it never sleeps.</para>
/// <para>The services become the Worker's children when it starts, so their log prefixes show their
/// depth below it (<c>[^-AppService]</c>). <see cref="Service.StartAsync"/> on a Worker runs the
/// services without logging set-up or signal handling; <see cref="ExecuteAsync"/> does both.</para>
/// </remarks>
public class Worker : Service
{
    private const int NoExitCode = int.MinValue;

    private readonly IService[] _services;
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _outputLock = new();
    private int _requestedExitCode = NoExitCode;
    private int _executing;
    private int _terminationSignals;
    private int _stopRequestedOnce;
    private int _commandLineConfigured;
    private int _loggingSetUp;
    private WorkerLoggerFactory? _ownLoggerFactory;

    /// <summary>Creates a worker for one service (often a <see cref="ServiceProxy"/> such as an app).</summary>
    /// <param name="service">The service to run.</param>
    /// <param name="options">How to run it (default: <see cref="WorkerOptions"/>' defaults).</param>
    public Worker(IService service, WorkerOptions? options = null)
        : this([service ?? throw new ArgumentNullException(nameof(service))], options)
    {
    }

    /// <summary>Creates a worker for several services, started in order and stopped in reverse.</summary>
    /// <param name="services">The services to run.</param>
    /// <param name="options">How to run them.</param>
    public Worker(IEnumerable<IService> services, WorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services.ToArray();
        if (Array.Exists(_services, static s => s is null))
        {
            throw new ArgumentException("A service is null.", nameof(services));
        }

        Options = options ?? new WorkerOptions();
        CommandLine = new WorkerCommandLine(Options);
    }

    /// <summary>The options; the command line changes them when parsed.</summary>
    public WorkerOptions Options { get; }

    /// <summary>The command line: add a program's own options here before <see cref="ExecuteFromCommandLine"/>.</summary>
    public WorkerCommandLine CommandLine { get; }

    /// <summary>The services this worker runs, in start order.</summary>
    public IReadOnlyList<IService> Services => _services;

    /// <summary>The exit code a service asked for with <see cref="Stop"/>, or <see langword="null"/>.</summary>
    public int? RequestedExitCode
    {
        get
        {
            var code = Volatile.Read(ref _requestedExitCode);
            return code == NoExitCode ? null : code;
        }
    }

    /// <summary>
    /// The <see cref="Mode.BlockingDetector"/> the worker runs as its first child when
    /// <see cref="WorkerOptions.Debug"/> or <see cref="WorkerOptions.BlockingTimeout"/> is set (Mode's
    /// <c>blocking_detector</c>), created at the first start; otherwise <see langword="null"/>. Every
    /// <see cref="ServiceThread"/> of the tree has its loop watched by it too.
    /// </summary>
    public BlockingDetector? BlockingDetector { get; private set; }

    /// <summary>How the process ends when a second signal forces it (tests replace it).</summary>
    internal Action<int> ForceExit { get; set; } = Environment.Exit;

    /// <summary>
    /// Parses <paramref name="args"/>, then runs the services until they stop; returns the process
    /// exit code. Blocks the calling thread (meant for <c>Main</c>); see
    /// <see cref="ExecuteFromCommandLineAsync"/>.
    /// </summary>
    /// <param name="args">The arguments (default: the process's, without the program name).</param>
    public int ExecuteFromCommandLine(string[]? args = null) =>
        Task.Run(() => ExecuteFromCommandLineAsync(args)).GetAwaiter().GetResult();

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
                return 2;
        }

        try
        {
            SetUpLogging();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Error.Write($"{ProgramName}: error: cannot open log file '{Options.LogFile}': {ex.Message}\n");
            return 2;
        }

        return await ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the services with the current <see cref="Options"/> (no argument parsing): sets up
    /// logging, installs the signal handlers, starts, waits until a signal, a <see cref="Stop"/>
    /// request, <paramref name="cancellationToken"/>, a stop or a crash, then stops everything.
    /// </summary>
    /// <param name="cancellationToken">Cancelling it stops the worker gracefully.</param>
    /// <returns>The process exit code (see the class remarks).</returns>
    /// <exception cref="InvalidOperationException">The worker was already executed.</exception>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _executing, 1) != 0)
        {
            throw new InvalidOperationException($"Worker '{Label}' can only be executed once.");
        }

        SetUpLogging();
        using var signals = Options.HandleSignals ? InstallSignalHandlers() : null;
        using var cancellation = cancellationToken.Register(static w => ((Worker)w!).RequestStop(null, "Stopping: cancellation requested..."), this);
        var failed = false;
        using var startCancellation = new CancellationTokenSource();
        try
        {
            try
            {
                // A stop requested while starting (Ctrl-C during a slow start) cancels the start's token.
                var start = StartAsync(startCancellation.Token);
                if (await Task.WhenAny(start, _stopRequested.Task).ConfigureAwait(false) != start)
                {
                    await startCancellation.CancelAsync().ConfigureAwait(false);
                }

                await start.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (startCancellation.IsCancellationRequested)
            {
                // The start gave up because a stop was requested: not a failure.
            }
            catch (Exception ex)
            {
                failed = true;
                Log.LogCritical(ex, "Error while starting {Service}: {Reason}", FindFailedService()?.Label ?? Label, Describe(ex));
            }

            if (!failed)
            {
                await Task.WhenAny(WaitUntilStoppedAsync(CancellationToken.None), _stopRequested.Task).ConfigureAwait(false);
            }

            if (IsCrashed && !failed)
            {
                Log.LogError("Stopping after a crash: {Reason}", Describe(CrashReason));
            }
        }
        finally
        {
            try
            {
                await OnWorkerShutdownAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failed = true;
                Log.LogError(ex, "Error in OnWorkerShutdownAsync");
            }

            try
            {
                await StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failed = true;
                Log.LogError(ex, "Error while stopping: {Reason}", Describe(ex));
            }
        }

        var exitCode = RequestedExitCode ?? (failed || IsCrashed ? 1 : 0);
        if (IsCrashed && RequestedExitCode is null)
        {
            Log.LogCritical("We experienced a crash! Exiting with code {ExitCode}: {Reason}", exitCode, Describe(CrashReason));
        }
        else if (exitCode != 0)
        {
            Log.LogWarning("Exiting with code {ExitCode}", exitCode);
        }

        Interlocked.Exchange(ref _ownLoggerFactory, null)?.Dispose();
        return exitCode;
    }

    /// <summary>
    /// Asks the worker to stop gracefully and exit with <paramref name="exitCode"/>; callable from any
    /// thread, any service (see <see cref="WorkerExtensions.StopWorker"/>). Returns at once. The first
    /// request's code wins.
    /// </summary>
    /// <param name="exitCode">The process exit code to return.</param>
    public void Stop(int exitCode = 0) =>
        RequestStop(exitCode, "Stopping on request (exit code " + exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")...");

    /// <summary>The worker whose tree <paramref name="service"/> belongs to (the nearest one above it), or <see langword="null"/>.</summary>
    public static Worker? Find(IService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        foreach (var node in service.Beacon.Walk())
        {
            if (node.Data is Worker worker)
            {
                return worker;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the service tree below this worker: per service its state, the hook it is in, its
    /// thread (a <see cref="ServiceThread"/>), diagnostic flags, running tasks and timers (what SIGUSR1 prints).
    /// </summary>
    public void DumpTree(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var text = new StringBuilder();
        AppendTree(text, Beacon, 0);
        writer.Write(text.ToString());
    }

    /// <summary>Prints <paramref name="message"/> to standard output unless <see cref="WorkerOptions.Quiet"/> (Mode's <c>say</c>).</summary>
    public void Say(string message)
    {
        if (!Options.Quiet)
        {
            WriteLine(Out, message);
        }
    }

    /// <summary>Prints <paramref name="message"/> to standard error unless <see cref="WorkerOptions.Quiet"/> (Mode's <c>carp</c>).</summary>
    public void Carp(string message)
    {
        if (!Options.Quiet)
        {
            WriteLine(Error, message);
        }
    }

    /// <summary>Runs at the first start, after logging is set up and before "Starting..." (Mode's <c>on_execute</c>).</summary>
    /// <param name="cancellationToken">The start's token.</param>
    protected virtual ValueTask OnExecuteAsync(CancellationToken cancellationToken) => default;

    /// <summary>Runs when the worker is about to stop everything, whatever the reason (Mode's <c>on_worker_shutdown</c>).</summary>
    /// <param name="cancellationToken">Not cancelled by the worker.</param>
    protected virtual ValueTask OnWorkerShutdownAsync(CancellationToken cancellationToken) => default;

    /// <summary>
    /// Called once logging is set up, with the factory the services will use and the level in effect
    /// (Mode's <c>on_setup_root_logger</c>): add providers here, or log a banner.
    /// </summary>
    protected virtual void OnSetupRootLogger(ILoggerFactory loggerFactory, LogLevel level)
    {
    }

    /// <summary>Called once before the command line is parsed: a subclass adds its own options here.</summary>
    protected virtual void ConfigureCommandLine(WorkerCommandLine commandLine)
    {
    }

    /// <inheritdoc/>
    /// <remarks>The services, after the <see cref="BlockingDetector"/> when there is one (it starts first and stops last).</remarks>
    protected override IEnumerable<IService> OnInitDependencies()
    {
        if (Options.Debug || Options.BlockingTimeout is not null)
        {
            BlockingDetector ??= new BlockingDetector(Options.EffectiveBlockingTimeout);
            TreeBlockingDetector = BlockingDetector;
            return [BlockingDetector, .. _services];
        }

        return _services;
    }

    /// <inheritdoc/>
    /// <remarks>Calls <see cref="OnExecuteAsync"/>; an override must call the base.</remarks>
    protected override async ValueTask OnFirstStartAsync(CancellationToken cancellationToken) =>
        await OnExecuteAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Handles a signal by number (2 = SIGINT, 15 = SIGTERM, SIGUSR1); the signal handlers call it.</summary>
    internal void HandleSignal(int signal)
    {
        if (signal == SigUsr1)
        {
            var dump = new StringWriter();
            dump.Write("Service tree (SIGUSR1):\n");
            DumpTree(dump);
            lock (_outputLock)
            {
                Error.Write(dump.ToString());
                Error.Flush();
            }

            return;
        }

        if (Interlocked.Increment(ref _terminationSignals) == 1)
        {
            RequestStop(null, "Stopping on signal received...");
            return;
        }

        var code = 128 + signal;
        Log.LogWarning("Second signal received during the stop: exiting now with code {ExitCode}", code);
        ForceExit(code);
    }

    private static int SigUsr1 => OperatingSystem.IsLinux() ? 10 : 30;

    private TextWriter Out => Options.Out ?? Console.Out;

    private TextWriter Error => Options.Error ?? Console.Error;

    private string ProgramName => Options.ProgramName ?? DefaultProgramName();

    private void RequestStop(int? exitCode, string message)
    {
        if (exitCode is { } code)
        {
            Interlocked.CompareExchange(ref _requestedExitCode, code, NoExitCode);
        }

        if (Interlocked.Exchange(ref _stopRequestedOnce, 1) != 0)
        {
            return;
        }

        // Logged before the waiter wakes, so the line always precedes the stop's own lines.
        Log.LogInformation("{Message}", message);
        _stopRequested.TrySetResult();
        if (Volatile.Read(ref _executing) == 0 && IsStarted)
        {
            // Not run by ExecuteAsync: stop here, off the caller's thread.
            _ = Task.Run(StopWithoutThrowingAsync);
        }
    }

    private async Task StopWithoutThrowingAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.LogError(ex, "Error while stopping: {Reason}", Describe(ex));
        }
    }

    private void SetUpLogging()
    {
        if (IsStarted || Volatile.Read(ref _loggingSetUp) != 0)
        {
            return;
        }

        var level = Options.EffectiveLogLevel;
        if (Options.LoggerFactory is { } given)
        {
            LoggerFactory = given;
            Volatile.Write(ref _loggingSetUp, 1);
            OnSetupRootLogger(given, level);
            return;
        }

        if (!Options.OverrideLogging)
        {
            Volatile.Write(ref _loggingSetUp, 1);
            OnSetupRootLogger(LoggerFactory, level);
            return;
        }

        var factory = new WorkerLoggerFactory(level);
        try
        {
            if (Options.LogFile is { } path)
            {
                var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                factory.AddProvider(new ModeLoggerProvider(new StreamWriter(stream, new UTF8Encoding(false)), colors: false, TimeProvider, ownsWriter: true));
            }
            else
            {
                var colors = Options.Colors ?? (Options.Error is null && DetectColors());
                factory.AddProvider(new ModeLoggerProvider(Error, colors, TimeProvider)
                {
                    MinimumLevel = Options.Quiet ? LogLevel.Warning : LogLevel.Trace,
                });
            }

            foreach (var provider in Options.LoggerProviders)
            {
                factory.AddProvider(provider);
            }
        }
        catch
        {
            factory.Dispose();
            throw;
        }

        _ownLoggerFactory = factory;
        LoggerFactory = factory;
        Volatile.Write(ref _loggingSetUp, 1);
        OnSetupRootLogger(factory, level);
    }

    private static bool DetectColors() =>
        !Console.IsErrorRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    private SignalRegistrations InstallSignalHandlers()
    {
        var registrations = new SignalRegistrations();
        registrations.TryAdd(PosixSignal.SIGINT, OnPosixSignal);
        registrations.TryAdd(PosixSignal.SIGTERM, OnPosixSignal);
        if (!OperatingSystem.IsWindows())
        {
            registrations.TryAdd((PosixSignal)SigUsr1, OnPosixSignal);
        }

        return registrations;
    }

    private void OnPosixSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var number = context.Signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            PosixSignal.SIGQUIT => 3,
            var raw => (int)raw,
        };
        HandleSignal(number);
    }

    private IService? FindFailedService()
    {
        // The service whose start failed is the deepest one still "Starting" (its ancestors are too).
        IService? deepest = null;
        var depth = 0;
        foreach (var node in Beacon.Traverse())
        {
            if (node.Data.State == ServiceState.Starting && node.Depth > depth)
            {
                deepest = node.Data;
                depth = node.Depth;
            }
        }

        return deepest;
    }

    private static string Describe(Exception? exception) =>
        exception is null ? "(unknown)" : exception.GetType().Name + ": " + exception.Message;

    private static void AppendTree(StringBuilder text, Node node, int indent)
    {
        var service = node.Data;
        text.Append(' ', indent * 2).Append(service.Label).Append(" [").Append(service.State).Append(']');
        if (service is ServiceThread { ManagedThreadId: { } thread })
        {
            text.Append(" thread=").Append(thread);
        }

        if (service is Service s)
        {
            if (s.CurrentHook is { } hook)
            {
                text.Append(" hook=").Append(hook);
            }

            var flags = s.Diag.Flags;
            if (flags.Count > 0)
            {
                text.Append(" flags=[").AppendJoin(", ", flags).Append(']');
            }

            var tasks = s.RunningTasks;
            if (tasks.Count > 0)
            {
                text.Append(" tasks=[").AppendJoin(", ", tasks).Append(']');
            }

            var timers = s.Timers;
            if (timers.Count > 0)
            {
                text.Append(" timers=").Append(timers.Count);
            }
        }

        text.Append('\n');
        foreach (var child in node.Children)
        {
            AppendTree(text, child, indent + 1);
        }
    }

    private void WriteLine(TextWriter writer, string message)
    {
        lock (_outputLock)
        {
            writer.Write(message + "\n");
            writer.Flush();
        }
    }

    private static string DefaultProgramName()
    {
        var args = Environment.GetCommandLineArgs();
        var name = args.Length > 0 ? Path.GetFileNameWithoutExtension(args[0]) : null;
        return string.IsNullOrEmpty(name) ? "worker" : name;
    }

    private static string DefaultVersion() =>
        System.Reflection.Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "0.0.0";

    private sealed class SignalRegistrations : IDisposable
    {
        private readonly List<PosixSignalRegistration> _registrations = [];

        public void TryAdd(PosixSignal signal, Action<PosixSignalContext> handler)
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, handler));
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException or IOException or ArgumentOutOfRangeException)
            {
                // Not on this platform (e.g. SIGUSR1 on Windows): the worker runs without it.
            }
        }

        public void Dispose()
        {
            foreach (var registration in _registrations)
            {
                registration.Dispose();
            }
        }
    }
}

/// <summary>Reaching the <see cref="Worker"/> from any service of its tree.</summary>
public static class WorkerExtensions
{
    /// <summary>
    /// Asks the worker that runs <paramref name="service"/> to stop gracefully and exit with
    /// <paramref name="exitCode"/> (see <see cref="Worker.Stop"/>). Returns at once.
    /// </summary>
    /// <returns><see langword="false"/> when <paramref name="service"/> does not run under a worker.</returns>
    public static bool StopWorker(this IService service, int exitCode = 0)
    {
        if (Worker.Find(service) is not { } worker)
        {
            return false;
        }

        worker.Stop(exitCode);
        return true;
    }
}
