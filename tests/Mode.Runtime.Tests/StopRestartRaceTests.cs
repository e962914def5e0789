using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

/// <summary>
/// A stop of the tree while a restart is in flight: each test holds the restart at one point with a
/// <see cref="Gate"/>, stops the tree, releases the gate and checks that nothing was started again
/// after the stop began (the rule: a service whose parent or supervisor is stopping is never started
/// again, and a start in flight when a stop begins is followed by a stop).
/// </summary>
public class StopRestartRaceTests
{
    /// <summary>One point where a hook waits: <see cref="Entered"/> completes when the hook reaches it.</summary>
    public sealed class Gate
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public async ValueTask PassAsync()
        {
            _entered.TrySetResult();
            await _released.Task;
        }
    }

    /// <summary>
    /// A service with one background task that runs until the stop (counted in <see cref="LiveTasks"/>),
    /// hook counters, and a one-shot gate for each of OnStopAsync, OnRestartAsync and OnStartAsync.
    /// </summary>
    public sealed class Held(string name) : Service
    {
        private Gate? _stopGate;
        private Gate? _restartGate;
        private Gate? _startGate;
        private int _liveTasks;
        private int _starts;
        private int _stops;
        private int _shutdowns;
        private TaskCompletionSource _taskRunning = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string Label => name;

        public int LiveTasks => Volatile.Read(ref _liveTasks);

        public int Starts => Volatile.Read(ref _starts);

        public int Stops => Volatile.Read(ref _stops);

        public int Shutdowns => Volatile.Read(ref _shutdowns);

        /// <summary>Completes when the background task of the current run is running.</summary>
        public Task TaskRunning => Volatile.Read(ref _taskRunning).Task;

        public Gate HoldNextStop() => _stopGate = new Gate();

        public Gate HoldNextRestart() => _restartGate = new Gate();

        public Gate HoldNextStart() => _startGate = new Gate();

        protected override void ConfigureWiring(ServiceWiring wiring)
        {
            base.ConfigureWiring(wiring);
            wiring.AddTask("Held.Work", static (s, ct) => new ValueTask(((Held)s).WorkAsync(ct)));
        }

        protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _starts);
            if (Interlocked.Exchange(ref _startGate, null) is { } gate)
            {
                await gate.PassAsync();
            }
        }

        protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _stops);
            if (Interlocked.Exchange(ref _stopGate, null) is { } gate)
            {
                await gate.PassAsync();
            }
        }

        protected override ValueTask OnShutdownAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _shutdowns);
            return default;
        }

        protected override async ValueTask OnRestartAsync(CancellationToken cancellationToken)
        {
            Volatile.Write(ref _taskRunning, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (Interlocked.Exchange(ref _restartGate, null) is { } gate)
            {
                await gate.PassAsync();
            }
        }

        private async Task WorkAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _liveTasks);
            try
            {
                var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await using var registration = cancellationToken.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), stopped);
                Volatile.Read(ref _taskRunning).TrySetResult();
                await stopped.Task;
            }
            finally
            {
                Interlocked.Decrement(ref _liveTasks);
            }
        }
    }

    public static TheoryData<string> Restarting => new() { "one-for-one", "one-for-all" };

    private static SupervisorStrategy Supervisor(string strategy, params IService[] services) => strategy switch
    {
        "one-for-one" => new OneForOneSupervisor(services),
        "one-for-all" => new OneForAllSupervisor(services),
        _ => throw new ArgumentOutOfRangeException(nameof(strategy)),
    };

    private static async Task<(RecordingService Root, SupervisorStrategy Supervisor)> StartTreeAsync(string strategy, params Held[] services)
    {
        var supervisor = Supervisor(strategy, services);
        var root = new RecordingService("ROOT", new Recorder(), supervisor);
        await root.StartAsync().Within();
        foreach (var service in services)
        {
            await service.TaskRunning.Within();
        }

        return (root, supervisor);
    }

    /// <summary>
    /// Nothing runs, the root and supervisor are Shutdown and each service is stopped: Shutdown, or
    /// Crashed when its last run crashed and no restart followed (a crash shows until a reset); every
    /// stop hook ran once per start.
    /// </summary>
    private static void AssertAllDown(RecordingService root, SupervisorStrategy supervisor, params (Held Service, ServiceState State)[] services)
    {
        Assert.Equal(ServiceState.Shutdown, root.State);
        Assert.Equal(ServiceState.Shutdown, supervisor.State);
        foreach (var (service, state) in services)
        {
            Assert.Equal(state, service.State);
            Assert.True(service.ShouldStop);
            Assert.Empty(service.RunningTasks);
            Assert.Equal(0, service.LiveTasks);
            Assert.Equal(service.Starts, service.Stops);
            Assert.Equal(service.Starts, service.Shutdowns);
        }
    }

    [Theory]
    [MemberData(nameof(Restarting))]
    public async Task TreeStop_WhileTheCrashedServiceStopsForItsRestart_NeverStartsItAgain(string strategy)
    {
        var a = new Held("A");
        var (root, supervisor) = await StartTreeAsync(strategy, a);
        var gate = a.HoldNextStop();

        a.Crash(new InvalidOperationException("crash"));
        await gate.Entered.Within();
        var stop = root.StopAsync();
        gate.Release();
        await stop.Within();

        AssertAllDown(root, supervisor, (a, ServiceState.Crashed));
        Assert.Equal(1, a.Starts);
    }

    [Theory]
    [MemberData(nameof(Restarting))]
    public async Task TreeStop_WhileTheRestartIsBetweenResetAndStart_LeavesItStoppedWithoutHooks(string strategy)
    {
        var a = new Held("A");
        var (root, supervisor) = await StartTreeAsync(strategy, a);
        var gate = a.HoldNextRestart();

        a.Crash(new InvalidOperationException("crash"));
        await gate.Entered.Within();
        var stop = root.StopAsync();
        gate.Release();
        await stop.Within();

        AssertAllDown(root, supervisor, (a, ServiceState.Shutdown));
        Assert.Equal(1, a.Starts);
        Assert.Equal(1, a.RestartCount);
    }

    [Theory]
    [MemberData(nameof(Restarting))]
    public async Task TreeStop_WhileTheRestartedServiceIsInOnStart_StopsItAndStartsNoWork(string strategy)
    {
        var a = new Held("A");
        var (root, supervisor) = await StartTreeAsync(strategy, a);
        var gate = a.HoldNextStart();

        a.Crash(new InvalidOperationException("crash"));
        await gate.Entered.Within();
        var stop = root.StopAsync();
        gate.Release();
        await stop.Within();

        AssertAllDown(root, supervisor, (a, ServiceState.Shutdown));
        Assert.Equal(2, a.Starts);
    }

    [Fact]
    public async Task TreeStop_DuringOneForAll_ServicesNotRestartedYetAreNotRestartedAfterwards()
    {
        var a = new Held("A");
        var b = new Held("B");
        var c = new Held("C");
        var (root, supervisor) = await StartTreeAsync("one-for-all", a, b, c);
        var gate = b.HoldNextStart();

        // One-for-all stops C, B, A, then restarts A, then B (held in OnStartAsync); C is still stopped.
        c.Crash(new InvalidOperationException("crash"));
        await gate.Entered.Within();
        var stop = root.StopAsync();
        gate.Release();
        await stop.Within();

        AssertAllDown(root, supervisor, (a, ServiceState.Shutdown), (b, ServiceState.Shutdown), (c, ServiceState.Crashed));
        Assert.Equal(1, c.Starts);
    }

    [Fact]
    public async Task RestartAsync_ConcurrentWithTheParentsStop_EndsStopped()
    {
        var a = new Held("A");
        var parent = new RecordingService("PARENT", new Recorder(), a);
        await parent.StartAsync().Within();
        await a.TaskRunning.Within();
        var gate = a.HoldNextStop();

        var restart = a.RestartAsync();
        await gate.Entered.Within();
        var stop = parent.StopAsync();
        gate.Release();
        await stop.Within();
        await restart.Within();

        Assert.Equal(ServiceState.Shutdown, parent.State);
        Assert.Equal(ServiceState.Shutdown, a.State);
        Assert.Empty(a.RunningTasks);
        Assert.Equal(1, a.Starts);
        Assert.Equal(1, a.Stops);
    }

    [Fact]
    public async Task RestartAsync_OfAServiceWhoseParentIsStopping_DoesNotStartIt()
    {
        var a = new Held("A");
        var parent = new RecordingService("PARENT", new Recorder(), a);
        await parent.StartAsync().Within();
        await a.TaskRunning.Within();
        var gate = new Gate();
        parent.OnStop = _ => gate.PassAsync();

        var stop = parent.StopAsync();
        await gate.Entered.Within();
        await a.RestartAsync().Within();

        Assert.Equal(ServiceState.Shutdown, a.State);
        Assert.Equal(1, a.Starts);
        gate.Release();
        await stop.Within();

        Assert.Equal(ServiceState.Shutdown, a.State);
        Assert.Empty(a.RunningTasks);
        Assert.Equal(a.Starts, a.Stops);
    }

    [Fact]
    public async Task RestartAsync_WhileAnotherRestartIsInOnStart_JoinsItAndStartsOnce()
    {
        // Found by the concurrency tests: the second restart used to stop the service while the first
        // restart's OnStartAsync had not run yet; that hook then ran after the stop, and the second
        // restart started the service once more: two OnStartAsync for one OnStopAsync.
        var a = new Held("A");
        await a.StartAsync().Within();
        var start = a.HoldNextStart();

        var first = a.RestartAsync();
        await start.Entered.Within();
        var second = a.RestartAsync();
        Assert.False(second.IsCompleted);
        start.Release();
        await first.Within();
        await second.Within();

        Assert.Equal(ServiceState.Running, a.State);
        Assert.Equal(2, a.Starts);
        Assert.Equal(1, a.Stops);
        await a.StopAsync().Within();
        Assert.Equal(2, a.Stops);
        Assert.Equal(0, a.LiveTasks);
    }

    [Fact]
    public async Task StopAsync_DuringARestart_WaitsForItAndLeavesTheServiceStopped()
    {
        var a = new Held("A");
        await a.StartAsync().Within();
        var gate = a.HoldNextRestart();

        var restart = a.RestartAsync();
        await gate.Entered.Within();
        var stop = a.StopAsync();
        Assert.False(stop.IsCompleted);
        gate.Release();
        await stop.Within();
        await restart.Within();

        Assert.Equal(ServiceState.Shutdown, a.State);
        Assert.Empty(a.RunningTasks);
        Assert.Equal(1, a.Starts);
        Assert.Equal(1, a.Stops);
    }

    [Fact]
    public async Task Replacement_WhileTheSupervisorStops_IsNeitherInsertedNorStarted()
    {
        var a = new Held("A");
        var fresh = new Held("A2");
        var factoryEntered = new Gate();
        var supervisor = new OneForOneSupervisor(
            [a],
            replacement: async (_, _) => { await factoryEntered.PassAsync(); return fresh; });
        var root = new RecordingService("ROOT", new Recorder(), supervisor);
        await root.StartAsync().Within();
        await a.TaskRunning.Within();

        a.Crash(new InvalidOperationException("crash"));
        await factoryEntered.Entered.Within();
        var stop = root.StopAsync();
        factoryEntered.Release();
        await stop.Within();

        Assert.Equal(0, fresh.Starts);
        Assert.Equal(ServiceState.Init, fresh.State);
        Assert.Empty(fresh.RunningTasks);
        Assert.Equal([a], supervisor.Services);
        Assert.Equal(ServiceState.Crashed, a.State);
        Assert.Empty(a.RunningTasks);
        Assert.Equal(a.Starts, a.Stops);
    }

    [Fact]
    public async Task AddRuntimeDependency_ToAStoppingParent_DoesNotStartTheChild()
    {
        var parent = new RecordingService("PARENT", new Recorder());
        await parent.StartAsync().Within();
        var gate = new Gate();
        parent.OnStop = _ => gate.PassAsync();
        var late = new Held("LATE");

        var stop = parent.StopAsync();
        await gate.Entered.Within();
        await parent.AddRuntimeDependencyAsync(late).Within();
        gate.Release();
        await stop.Within();

        Assert.Equal(0, late.Starts);
        Assert.Empty(late.RunningTasks);
    }

    [Fact]
    public async Task StopAsync_WhileTheServiceIsInOnStart_WorkOfThatStartNeverRuns()
    {
        var a = new Held("A");
        var gate = a.HoldNextStart();

        var start = a.StartAsync();
        await gate.Entered.Within();
        await a.StopAsync().Within();
        gate.Release();
        await start.Within();

        Assert.Equal(ServiceState.Shutdown, a.State);
        Assert.Empty(a.RunningTasks);
        Assert.Equal(0, a.LiveTasks);
    }

    [Fact]
    public async Task ContextAddedByAStartHookThatOutlivedTheStop_IsDisposedAtOnce()
    {
        var gate = new Gate();
        var disposed = 0;
        RecordingService? service = null;
        service = new RecordingService("S", new Recorder())
        {
            OnStart = async _ =>
            {
                await gate.PassAsync();
                service!.AddContext(new Disposable(() => Interlocked.Increment(ref disposed)));
            },
        };

        var start = service.StartAsync();
        await gate.Entered.Within();
        await service.StopAsync().Within();
        gate.Release();
        await start.Within();

        Assert.Equal(1, disposed);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    private sealed class Disposable(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }

    [Fact]
    public async Task StartAsync_OfAStoppedNeverStartedService_RunsNoHook()
    {
        var a = new Held("A");
        await a.StopAsync().Within();
        var stops = a.Stops;

        await a.StartAsync().Within();

        Assert.Equal(0, a.Starts);
        Assert.Equal(ServiceState.Shutdown, a.State);
        Assert.Empty(a.RunningTasks);
        Assert.Equal(stops, a.Stops);
    }
}
