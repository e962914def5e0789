using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.WorkerSupport;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public partial class WorkerTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 21, 15, 47, 12, 159, TimeSpan.Zero);

    private sealed class Harness
    {
        private readonly StringWriter _out = new();
        private readonly StringWriter _err = new();

        public Harness(IService[] services, Action<WorkerOptions>? configure = null, Func<IService[], WorkerOptions, Worker>? create = null)
        {
            Options = new WorkerOptions
            {
                HandleSignals = false,
                Colors = false,
                Out = TextWriter.Synchronized(_out),
                Error = TextWriter.Synchronized(_err),
                ProgramName = "probe",
                Version = "1.2.3",
            };
            configure?.Invoke(Options);
            Worker = create?.Invoke(services, Options) ?? new TestWorker(services, Options);
            Worker.TimeProvider = new VirtualClock(s_now);
            Worker.ForceExit = code => Forced.TrySetResult(code);
        }

        public WorkerOptions Options { get; }

        public Worker Worker { get; }

        public TaskCompletionSource<int> Forced { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Out => _out.ToString();

        public string Err => _err.ToString();

        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A worker that says when it is fully started (its state is Running).</summary>
    private sealed class TestWorker(IService[] services, WorkerOptions options) : Worker(services, options)
    {
        public TaskCompletionSource Running { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string Label => "Worker";

        protected override ValueTask OnStartedAsync(CancellationToken cancellationToken)
        {
            Running.TrySetResult();
            return default;
        }
    }

    private static Task RunningAsync(Harness harness) => ((TestWorker)harness.Worker).Running.Task.Within();

    private static TaskCompletionSource Signal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [GeneratedRegex(@"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): ([A-Z]+)\]: (\[\^-*[A-Za-z]+\]: )?(.*)$")]
    private static partial Regex LogLine();

    [Fact]
    public async Task ExecuteAsync_LogsInModesFormatWithTheDepthAsDashes()
    {
        var log = new ProbeLog();
        var harness = new Harness([new ProbeService("App", log, new ProbeService("Webserver", log))]);
        harness.Worker.Stop(0);

        var code = await harness.Worker.ExecuteAsync().Within();

        Assert.Equal(0, code);
        var lines = harness.ErrLines;
        Assert.Contains("[2026-11-21 15:47:12,159: INFO]: [^Worker]: Starting...", lines);
        Assert.Contains("[2026-11-21 15:47:12,159: INFO]: [^-App]: Starting...", lines);
        Assert.Contains("[2026-11-21 15:47:12,159: INFO]: [^--Webserver]: Starting...", lines);
        Assert.Contains("[2026-11-21 15:47:12,159: INFO]: [^--Webserver]: Stopping...", lines);
        Assert.All(lines, l => Assert.Matches(LogLine(), l));
        Assert.DoesNotContain(lines, l => l.Contains("-Stopped!", StringComparison.Ordinal));
    }

    private sealed class AppProxy(Service real) : ServiceProxy
    {
        protected override IService Service => real;
    }

    [Fact]
    public async Task ExecuteAsync_AProxiedApp_LogsAsItsRealServiceBelowTheWorker()
    {
        var log = new ProbeLog();
        var real = new ProbeService("AppService", log, new ProbeService("Websockets", log));
        var harness = new Harness([new AppProxy(real)]);
        harness.Worker.Stop();

        Assert.Equal(0, await harness.Worker.ExecuteAsync().Within());

        Assert.Contains("[2026-11-21 15:47:12,159: INFO]: [^-AppService]: Starting...", harness.ErrLines);
        Assert.Contains("[2026-11-21 15:47:12,159: INFO]: [^--Websockets]: Stopping...", harness.ErrLines);
        Assert.Same(harness.Worker.TimeProvider, real.TimeProvider);
    }

    [Fact]
    public async Task BlockingDetector_RunsOnlyInDebugOrWithATimeout_AndWatchesServiceThreadLoops()
    {
        var plain = new Harness([new ProbeService("A", new ProbeLog())]);
        plain.Worker.Stop();
        await plain.Worker.ExecuteAsync().Within();
        Assert.Null(plain.Worker.BlockingDetector);

        var release = new ManualResetEventSlim();
        var blocked = Signal();
        var thread = new ThreadProbe("T", new ProbeLog());
        var harness = new Harness([thread], o => o.BlockingTimeout = TimeSpan.FromSeconds(2));
        var clock = (VirtualClock)harness.Worker.TimeProvider;
        var execution = harness.Worker.ExecuteAsync();
        await RunningAsync(harness);
        var detector = harness.Worker.BlockingDetector;
        Assert.NotNull(detector);
        Assert.Same(detector, harness.Worker.Children[0]);

        thread.Context!.Post(_ => { blocked.TrySetResult(); release.Wait(); }, null);
        await blocked.Task.Within();
        detector.CheckNow(); // a probe now waits behind the blocked callback on T's loop
        clock.AdvanceStepwise(TimeSpan.FromSeconds(3));
        detector.CheckNow();
        release.Set();
        harness.Worker.Stop();
        await execution.Within();

        Assert.Contains("T thread blocked for 3.0 s", harness.Err);
        Assert.True(detector.Detections >= 1);
    }

    [Fact]
    public async Task ExecuteAsync_DebugLevel_ShowsStartedAndStoppedLines()
    {
        var harness = new Harness([new ProbeService("App", new ProbeLog())], o => o.LogLevel = LogLevel.Debug);
        harness.Worker.Stop();

        await harness.Worker.ExecuteAsync().Within();

        Assert.Contains("[2026-11-21 15:47:12,159: DEBUG]: [^-App]: -Stopped!", harness.ErrLines);
        Assert.Contains("[2026-11-21 15:47:12,159: DEBUG]: [^Worker]: -Stopped!", harness.ErrLines);
    }

    [Fact]
    public async Task Stop_FromAService_ReturnsItsExitCodeAndStopsInReverseOrder()
    {
        var log = new ProbeLog();
        var a = new ProbeService("A", log);
        var b = new ProbeService("B", log)
        {
            Started = (s, _) =>
            {
                Assert.True(s.StopWorker(3));
                return default;
            },
        };
        var harness = new Harness([a, b]);

        var code = await harness.Worker.ExecuteAsync().Within();

        Assert.Equal(3, code);
        Assert.Equal(3, harness.Worker.RequestedExitCode);
        Assert.Equal(["B.stop", "A.stop"], log.Matching("stop"));
        var lines = harness.ErrLines.Select(l => LogLine().Match(l).Groups[3].Value + LogLine().Match(l).Groups[4].Value).ToArray();
        Assert.Equal(
            ["[^Worker]: Stopping on request (exit code 3)...", "[^Worker]: Stopping...", "[^-B]: Stopping...", "[^-A]: Stopping..."],
            lines.SkipWhile(l => !l.Contains("on request", StringComparison.Ordinal)).Where(l => l.Contains("Stopping", StringComparison.Ordinal)).ToArray());
    }

    [Fact]
    public void StopWorker_OutsideAWorker_ReturnsFalse() =>
        Assert.False(new ProbeService("Alone", new ProbeLog()).StopWorker(5));

    [Fact]
    public async Task Crash_IsLoggedWithTheLabel_EverythingStops_AndTheExitCodeIs1()
    {
        var log = new ProbeLog();
        var cache = new ProbeService("UserCache", log)
        {
            Started = (s, _) =>
            {
                s.AddFuture(Task.Run(() => throw new InvalidOperationException("kaboom"), CancellationToken.None));
                return default;
            },
        };
        var harness = new Harness([new ProbeService("App", log, new ProbeService("Web", log), cache)]);

        var code = await harness.Worker.ExecuteAsync().Within();

        Assert.Equal(1, code);
        Assert.Contains(harness.ErrLines, l => l.EndsWith("ERROR]: [^--UserCache]: Crashed reason=InvalidOperationException: kaboom", StringComparison.Ordinal));
        Assert.Contains("System.InvalidOperationException: kaboom", harness.Err);
        Assert.Contains(harness.ErrLines, l => l.Contains("CRITICAL]: [^Worker]: We experienced a crash!", StringComparison.Ordinal));
        Assert.Equal(["UserCache.shutdown", "Web.shutdown", "App.shutdown"], log.Matching("shutdown"));
    }

    [Fact]
    public async Task StartFailure_StopsWhatStartedInReverse_AndTheExitCodeIs1()
    {
        var log = new ProbeLog();
        var services = new IService[]
        {
            new ProbeService("A", log),
            new ProbeService("B", log) { Starting = (_, _) => throw new InvalidOperationException("port in use") },
            new ProbeService("C", log),
        };
        var harness = new Harness(services);

        var code = await harness.Worker.ExecuteAsync().Within();

        Assert.Equal(1, code);
        Assert.Contains(harness.ErrLines, l => l.Contains("CRITICAL]: [^Worker]: Error while starting B: InvalidOperationException: port in use", StringComparison.Ordinal));
        Assert.Equal(["A.start", "B.start"], log.Matching("start"));
        Assert.Equal(["C.stop", "B.stop", "A.stop"], log.Matching("stop"));
    }

    [Fact]
    public async Task StartTimeout_Expires_StopsWhatStartedAndExits1NamingTheServiceAndHook()
    {
        var log = new ProbeLog();
        var starting = Signal();
        var services = new IService[]
        {
            new ProbeService("A", log),
            new ProbeService("Slow", log) { Starting = async (_, _) => { starting.TrySetResult(); await Task.Delay(Timeout.Infinite, CancellationToken.None); } },
            new ProbeService("Never", log),
        };
        var harness = new Harness(services, o => o.StartTimeout = TimeSpan.FromSeconds(5));
        var clock = (VirtualClock)harness.Worker.TimeProvider;

        var execution = harness.Worker.ExecuteAsync();
        await starting.Task.Within();
        await clock.WaitForArmedTimersAsync(1).Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(5));

        Assert.Equal(1, await execution.Within());
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "mode-start-timeout-output.txt"), harness.Err);
        Assert.Contains(harness.ErrLines, l => l.Contains("Start timed out: Slow did not start within 00:00:05 (it was in OnStartAsync); stopping what started", StringComparison.Ordinal));
        Assert.Contains(harness.ErrLines, l => l.Contains("CRITICAL]: [^Worker]: Error while starting Worker: TimeoutException: Service 'Slow' did not start within 5 s: it was in OnStartAsync.", StringComparison.Ordinal));
        Assert.Equal(["Never.stop", "Slow.stop", "A.stop"], log.Matching("stop"));
    }

    [Fact]
    public void StartTimeout_CommandLine_SetsItOrTurnsItOff()
    {
        var harness = new Harness([new ProbeService("A", new ProbeLog())]);
        Assert.Equal(TimeSpan.FromMinutes(5), harness.Options.StartTimeout);

        Assert.Equal(ParseOutcome.Run, harness.Worker.CommandLine.Parse(["--start-timeout", "2.5"]).Outcome);
        Assert.Equal(TimeSpan.FromSeconds(2.5), harness.Options.StartTimeout);
        Assert.Equal(ParseOutcome.Run, harness.Worker.CommandLine.Parse(["--start-timeout", "0"]).Outcome);
        Assert.Null(harness.Options.StartTimeout);
        Assert.Equal(ParseOutcome.Error, harness.Worker.CommandLine.Parse(["--start-timeout", "-1"]).Outcome);
    }

    [Fact]
    public async Task Signal_StopsGracefullyWithExitCode0()
    {
        var log = new ProbeLog();
        var running = Signal();
        var harness = new Harness([new ProbeService("A", log) { Started = (_, _) => { running.TrySetResult(); return default; } }]);
        var execution = harness.Worker.ExecuteAsync();
        await running.Task.Within();

        harness.Worker.HandleSignal(2);

        Assert.Equal(0, await execution.Within());
        var messages = harness.ErrLines.Select(l => LogLine().Match(l).Groups[4].Value).ToArray();
        var signalIndex = Array.IndexOf(messages, "Stopping on signal received...");
        Assert.True(signalIndex >= 0);
        Assert.Equal("Stopping...", messages[signalIndex + 1]);
        Assert.Equal(["A.stop"], log.Matching("stop"));
        Assert.False(harness.Forced.Task.IsCompleted);
    }

    [Fact]
    public async Task Signal_BeforeTheStart_StartsNothingAndExitsWith0()
    {
        // A signal while the command line is parsed (the handlers are installed before it): the
        // worker logs it once logging is set up, starts nothing and exits cleanly.
        var log = new ProbeLog();
        var harness = new Harness([new ProbeService("A", log)]);
        harness.Worker.CommandLine.AddFlag("--signal-now", "sends SIGTERM while parsing", () => harness.Worker.HandleSignal(15));

        var code = await harness.Worker.ExecuteFromCommandLineAsync(["--signal-now"]).Within();

        Assert.Equal(0, code);
        Assert.Empty(log.Matching("start"));
        Assert.Empty(log.Matching("stop"));
        Assert.False(harness.Worker.IsStarted);
        var messages = harness.ErrLines.Select(l => LogLine().Match(l).Groups[4].Value).ToArray();
        Assert.Equal(["Stopping on signal received..."], messages);
        Assert.False(harness.Forced.Task.IsCompleted);
    }

    [Fact]
    public async Task SecondSignal_DuringAStuckStop_ForcesExitWith130()
    {
        var log = new ProbeLog();
        var running = Signal();
        var stopping = Signal();
        var release = Signal();
        var stuck = new ProbeService("Stuck", log)
        {
            Started = (_, _) => { running.TrySetResult(); return default; },
            Stopping = async (_, _) =>
            {
                stopping.TrySetResult();
                await release.Task;
            },
        };
        var harness = new Harness([stuck]);
        var execution = harness.Worker.ExecuteAsync();
        await running.Task.Within();

        harness.Worker.HandleSignal(2);
        await stopping.Task.Within();
        harness.Worker.HandleSignal(2);

        Assert.Equal(130, await harness.Forced.Task.Within());
        release.TrySetResult();
        Assert.Equal(0, await execution.Within());
    }

    [Fact]
    public async Task Signal_DuringASlowStart_CancelsTheStartAndStopsWithExitCode0()
    {
        var log = new ProbeLog();
        var starting = Signal();
        var slow = new ProbeService("Slow", log)
        {
            Starting = async (_, ct) =>
            {
                starting.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
        var harness = new Harness([new ProbeService("First", log), slow, new ProbeService("Never", log)]);
        var execution = harness.Worker.ExecuteAsync();
        await starting.Task.Within();

        harness.Worker.HandleSignal(15);

        Assert.Equal(0, await execution.Within());
        Assert.Equal(["First.start", "Slow.start"], log.Matching("start"));
        Assert.Equal(["Never.stop", "Slow.stop", "First.stop"], log.Matching("stop"));
        Assert.DoesNotContain("Error while starting", harness.Err);
    }

    [Fact]
    public async Task SigUsr1_WritesTheServiceTreeWithStatesAndTasks()
    {
        var log = new ProbeLog();
        var running = Signal();
        var web = new ProbeService("Web", log)
        {
            Started = (s, _) =>
            {
                s.AddFuture(Task.Delay(Timeout.Infinite, s.StoppingToken), "Web.serve");
                s.Diag.SetFlag("SERVING");
                running.TrySetResult();
                return default;
            },
        };
        var harness = new Harness([new ProbeService("App", log, web)]);
        var execution = harness.Worker.ExecuteAsync();
        await running.Task.Within();
        await RunningAsync(harness);

        harness.Worker.HandleSignal(OperatingSystem.IsLinux() ? 10 : 30);
        harness.Worker.Stop();
        await execution.Within();

        Assert.Contains("Service tree (SIGUSR1):\nWorker [Running]\n  App [Running]\n    Web [Running] flags=[SERVING] tasks=[Web.serve]\n", harness.Err);
    }

    [Fact]
    public async Task DumpTree_ShowsTheHookAServiceIsIn()
    {
        var inHook = Signal();
        var release = Signal();
        var slow = new ProbeService("Slow", new ProbeLog())
        {
            Starting = async (_, _) =>
            {
                inHook.TrySetResult();
                await release.Task;
            },
        };
        var harness = new Harness([slow]);
        var execution = harness.Worker.ExecuteAsync();
        await inHook.Task.Within();

        var dump = new StringWriter();
        harness.Worker.DumpTree(dump);
        release.TrySetResult();
        harness.Worker.Stop();
        await execution.Within();

        Assert.Equal("Worker [Starting]\n  Slow [Starting] hook=OnStartAsync\n", dump.ToString());
    }

    [Fact]
    public async Task Cancellation_StopsGracefullyWithExitCode0()
    {
        using var cts = new CancellationTokenSource();
        var running = Signal();
        var harness = new Harness([new ProbeService("A", new ProbeLog()) { Started = (_, _) => { running.TrySetResult(); return default; } }]);
        var execution = harness.Worker.ExecuteAsync(cts.Token);
        await running.Task.Within();

        await cts.CancelAsync();

        Assert.Equal(0, await execution.Within());
    }

    [Fact]
    public async Task ExecuteAsync_Twice_Throws()
    {
        var harness = new Harness([new ProbeService("A", new ProbeLog())]);
        harness.Worker.Stop();
        await harness.Worker.ExecuteAsync().Within();

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Worker.ExecuteAsync());
    }

    private sealed class HookWorker(IService[] services, WorkerOptions options, ProbeLog log) : Worker(services, options)
    {
        protected override void OnSetupRootLogger(ILoggerFactory loggerFactory, LogLevel level) => log.Add("W", "setup_root_logger:" + level);

        protected override ValueTask OnExecuteAsync(CancellationToken cancellationToken)
        {
            log.Add("W", "execute");
            return default;
        }

        protected override ValueTask OnWorkerShutdownAsync(CancellationToken cancellationToken)
        {
            log.Add("W", "worker_shutdown");
            return default;
        }
    }

    [Fact]
    public async Task Hooks_RunInModesOrder()
    {
        var log = new ProbeLog();
        var harness = new Harness([new ProbeService("A", log) { Started = (s, _) => { s.StopWorker(); return default; } }], create: (s, o) => new HookWorker(s, o, log));

        await harness.Worker.ExecuteAsync().Within();

        Assert.Equal(["W.setup_root_logger:Information", "W.execute", "A.start", "A.started", "W.worker_shutdown", "A.stop", "A.shutdown"], log.Events);
    }

    [Fact]
    public async Task Quiet_HidesInfoLinesAndSay_ButNotErrors()
    {
        var harness = new Harness([new ProbeService("A", new ProbeLog()) { Started = (s, _) => { s.Crash(new InvalidOperationException("loud")); return default; } }], o => o.Quiet = true);
        harness.Worker.Say("hello");
        harness.Worker.Carp("psst");

        Assert.Equal(1, await harness.Worker.ExecuteAsync().Within());

        Assert.Empty(harness.Out);
        Assert.DoesNotContain("INFO", harness.Err);
        Assert.DoesNotContain("psst", harness.Err);
        Assert.Contains("[^-A]: Crashed reason=InvalidOperationException: loud", harness.Err);
    }

    [Fact]
    public async Task SayAndCarp_WriteToOutAndError()
    {
        var harness = new Harness([new ProbeService("A", new ProbeLog())]);

        harness.Worker.Say("to out");
        harness.Worker.Carp("to err");

        Assert.Equal("to out\n", harness.Out);
        Assert.Equal("to err\n", harness.Err);
        harness.Worker.Stop();
        await harness.Worker.ExecuteAsync().Within();
    }

    [Fact]
    public async Task LogFile_GetsTheLinesInsteadOfStandardError()
    {
        var path = Path.Combine(Path.GetTempPath(), "mode-worker-" + Guid.NewGuid().ToString("N") + ".log");
        try
        {
            var harness = new Harness([new ProbeService("A", new ProbeLog())], o => o.LogFile = path);
            harness.Worker.Stop();

            Assert.Equal(0, await harness.Worker.ExecuteAsync().Within());

            Assert.Empty(harness.Err);
            var lines = await File.ReadAllLinesAsync(path);
            Assert.Contains("[2026-11-21 15:47:12,159: INFO]: [^-A]: Starting...", lines);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task OverrideLoggingFalse_LeavesTheServicesLoggingAlone()
    {
        var a = new ProbeService("A", new ProbeLog());
        var harness = new Harness([a], o => o.OverrideLogging = false);
        harness.Worker.Stop();

        await harness.Worker.ExecuteAsync().Within();

        Assert.Empty(harness.Err);
        Assert.Same(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, a.LoggerFactory);
    }

    private sealed class ListProvider : ILoggerProvider
    {
        public List<string> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => new ListLogger(this);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ListProvider owner) : ILogger
        {
            private Mode.Logging.ServiceLogScope? _scope;

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                _scope = state as Mode.Logging.ServiceLogScope;
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Lines)
                {
                    owner.Lines.Add($"{_scope?.Service.Label}|{logLevel}|{formatter(state, exception)}");
                }
            }
        }
    }

    [Fact]
    public async Task ExtraProviders_ReceiveTheLinesWithTheServiceScope()
    {
        var provider = new ListProvider();
        var harness = new Harness([new ProbeService("A", new ProbeLog())], o => o.LoggerProviders.Add(provider));
        harness.Worker.Stop();

        await harness.Worker.ExecuteAsync().Within();

        Assert.Contains("A|Information|Starting...", provider.Lines);
        Assert.Contains("[^-A]: Starting...", harness.Err);
    }

    [Fact]
    public async Task GivenLoggerFactory_IsUsedInsteadOfTheWorkersOwn()
    {
        var provider = new ListProvider();
        using var factory = new ListFactory(provider);
        var harness = new Harness([new ProbeService("A", new ProbeLog())], o => o.LoggerFactory = factory);
        harness.Worker.Stop();

        await harness.Worker.ExecuteAsync().Within();

        Assert.Empty(harness.Err);
        Assert.Contains("Worker|Information|Starting...", provider.Lines);
    }

    private sealed class ListFactory(ListProvider provider) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
