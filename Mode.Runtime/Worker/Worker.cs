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
public partial class Worker : Service
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
    private string? _earlyStopMessage;

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

        InstallSignalHandlersEarly();
        SetUpLogging();
        LogEarlyStopRequest();
        if (Options.StartTimeout is { } startTimeout && StartTimeout is null && !IsStarted)
        {
            StartTimeout = startTimeout;
        }

        using var cancellation = cancellationToken.Register(static w => ((Worker)w!).RequestStop(null, "Stopping: cancellation requested..."), this);
        var failed = false;
        using var startCancellation = new CancellationTokenSource();
        try
        {
            try
            {
                // A signal before the start (while the command line was parsed): the operator wants
                // the process gone, so nothing is started and nothing needs stopping. (A Stop() call
                // before the start still runs the start, then the stop.)
                if (Volatile.Read(ref _terminationSignals) == 0)
                {
                    // A stop requested while starting (Ctrl-C during a slow start) cancels the start's token.
                    var start = StartAsync(startCancellation.Token);
                    if (await Task.WhenAny(start, _stopRequested.Task).ConfigureAwait(false) != start)
                    {
                        await startCancellation.CancelAsync().ConfigureAwait(false);
                    }

                    await start.ConfigureAwait(false);
                }
                else
                {
                    // The signal handler counts the signal before it logs it and requests the stop,
                    // on a thread of its own: wait for that, so its line is written before we exit.
                    await _stopRequested.Task.ConfigureAwait(false);
                    LogEarlyStopRequest();
                }
            }
            catch (OperationCanceledException) when (startCancellation.IsCancellationRequested)
            {
                // The start gave up because a stop was requested: not a failure.
            }
            catch (Exception ex)
            {
                failed = true;
                ServiceLog.WorkerStartFailed(Log, ex, FindFailedService()?.Label ?? Label, Describe(ex));
            }

            if (!failed && IsStarted)
            {
                await Task.WhenAny(WaitUntilStoppedAsync(CancellationToken.None), _stopRequested.Task).ConfigureAwait(false);
            }

            if (IsCrashed && !failed)
            {
                ServiceLog.WorkerStoppingAfterCrash(Log, Describe(CrashReason));
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
                ServiceLog.WorkerShutdownHookFailed(Log, ex);
            }

            try
            {
                if (IsStarted)
                {
                    await StopAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                failed = true;
                ServiceLog.WorkerStopFailed(Log, ex, Describe(ex));
            }
        }

        RemoveSignalHandlers();
        var exitCode = ExitCodeAfterRun(failed);
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
    /// <param name="service">A service of the tree.</param>
    /// <returns>The worker, or <see langword="null"/> outside a worker's tree.</returns>
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

    /// <summary>Prints <paramref name="message"/> to standard output unless <see cref="WorkerOptions.Quiet"/> (Mode's <c>say</c>).</summary>
    /// <param name="message">One line.</param>
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
        await OnExecuteAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);

    private TextWriter Out => Options.Out ?? Console.Out;

    private TextWriter Error => Options.Error ?? Console.Error;

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

        // Logged before the waiter wakes, so the line always precedes the stop's own lines. Before
        // ExecuteAsync has set up logging (a signal while the command line is parsed) the line is
        // kept and logged once it has.
        lock (_outputLock)
        {
            if (Volatile.Read(ref _loggingSetUp) == 0 && !IsStarted)
            {
                _earlyStopMessage = message;
            }
            else
            {
                ServiceLog.WorkerStopRequested(Log, message);
            }
        }

        _stopRequested.TrySetResult();
        if (Volatile.Read(ref _executing) == 0 && IsStarted)
        {
            // Not run by ExecuteAsync: stop here, off the caller's thread.
            _ = Task.Run(StopWithoutThrowingAsync);
        }
    }

    /// <summary>Logs the stop request that came before logging was set up, if one did.</summary>
    private void LogEarlyStopRequest()
    {
        string? message;
        lock (_outputLock)
        {
            message = _earlyStopMessage;
            _earlyStopMessage = null;
        }

        if (message is not null)
        {
            ServiceLog.WorkerStopRequested(Log, message);
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
            ServiceLog.WorkerStopFailed(Log, ex, Describe(ex));
        }
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

    private void WriteLine(TextWriter writer, string message)
    {
        lock (_outputLock)
        {
            writer.Write(message + "\n");
            writer.Flush();
        }
    }

}

