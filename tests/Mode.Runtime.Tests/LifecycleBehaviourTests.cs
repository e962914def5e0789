using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

/// <summary>
/// Pins down lifecycle behaviour that mutation testing found untested: the log lines of a stop,
/// the errors a failed stop reports to every caller, the notifications Mode.Testing's harness waits
/// on, the hooks it records, what a reset re-arms, a restart that gives up, and the small contracts
/// of <see cref="Service.MaybeStartAsync"/>, <see cref="Service.Crash"/> and
/// <see cref="Service.DisposeAsync"/>.
/// </summary>
public class LifecycleBehaviourTests
{
    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static bool Says(LogEntry entry, string text) => entry.Message.Contains(text, StringComparison.Ordinal);

    // ---- stop errors and log lines ----

    [Fact]
    public async Task Stop_OnStopAsyncThrows_LogsTheErrorFinishesTheStopAndRethrowsToEveryCaller()
    {
        var logs = new CapturingLoggerFactory();
        var recorder = new Recorder();
        var boom = new InvalidOperationException("stop failed");
        var service = new RecordingService("S", recorder) { LoggerFactory = logs, OnStop = _ => throw boom };
        await service.StartAsync().Within();

        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within()));
        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within()));

        var line = Assert.Single(logs.Entries, e => Says(e, "Error in OnStopAsync; continuing the stop"));
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Same(boom, line.Exception);
        Assert.Contains("S on_shutdown", recorder.Events);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task Stop_OfAPlainServiceThatFailed_ASecondStopRethrowsTheSameError()
    {
        // No setting touched: the service keeps no rarely-used state until the failed stop stores its error.
        var service = new FailingStop();
        await service.StartAsync().Within();

        var first = await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within());
        var second = await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within());

        Assert.Same(first, second);
        Assert.Equal("plain stop failed", first.Message);
    }

    [Fact]
    public async Task Stop_OnShutdownAsyncThrows_TheStopCompletesAndRethrowsToEveryCaller()
    {
        var logs = new CapturingLoggerFactory();
        var boom = new InvalidOperationException("shutdown failed");
        var service = new RecordingService("S", new Recorder()) { LoggerFactory = logs, OnShutdown = _ => throw boom };
        await service.StartAsync().Within();

        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within()));
        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within()));

        Assert.Contains(logs.Entries, e => Says(e, "-Stopped!"));
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task Stop_OnStopAsyncAndOnShutdownAsyncBothThrow_TheFirstErrorIsTheOneReportedToEveryCallerAndTheStopCompletes()
    {
        var logs = new CapturingLoggerFactory();
        var first = new InvalidOperationException("stop failed");
        var service = new RecordingService("S", new Recorder())
        {
            LoggerFactory = logs,
            OnStop = _ => throw first,
            OnShutdown = _ => throw new InvalidOperationException("shutdown failed"),
        };
        await service.StartAsync().Within();

        Assert.Same(first, await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within()));
        Assert.Same(first, await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within()));
        Assert.Contains(logs.Entries, e => Says(e, "-Stopped!"));
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task Stop_AStoppingTokenCallbackThrows_IsLoggedAndTheStopGoesOn()
    {
        var logs = new CapturingLoggerFactory();
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder) { LoggerFactory = logs };
        await service.StartAsync().Within();
        service.StoppingToken.Register(static () => throw new InvalidOperationException("callback failed"));

        await service.StopAsync().Within();

        var line = Assert.Single(logs.Entries, e => Says(e, "A stopping-token callback threw"));
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains(recorder.Events, e => e == "S on_stop");
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task StartTimeout_TheStopAfterItFails_IsLoggedAndTheTimeoutIsStillThrown()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var boom = new InvalidOperationException("shutdown failed");
        var service = new RecordingService("S", new Recorder())
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            StartTimeout = TimeSpan.FromSeconds(1),
            OnStart = async _ => await Task.Delay(Timeout.Infinite, CancellationToken.None),
            OnShutdown = _ => throw boom,
        };

        var start = service.StartAsync();
        await clock.WaitForArmedTimersAsync(1).Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => start.Within());
        Assert.Equal("Service 'S' did not start within 1 s: it was in OnStartAsync.", error.Message);
        // OnShutdownAsync's error is not logged by the stop itself: this line is the timed-out start's.
        var line = Assert.Single(logs.Entries, e => Says(e, "Error in OnStopAsync; continuing the stop"));
        Assert.Same(boom, line.Exception);
    }

    [Fact]
    public void FindStuckStart_NothingStarting_NamesTheServiceItselfAndItsStart()
    {
        var service = new RecordingService("S", new Recorder());

        var (stuck, hook) = service.FindStuckStart();

        Assert.Same(service, stuck);
        Assert.Equal("its start", hook);
    }

    [Fact]
    public async Task FindStuckStart_TwoChildrenStuckAtTheSameDepth_NamesTheFirstInTreeOrder()
    {
        var (inA, releaseA, inB, releaseB) = (NewGate(), NewGate(), NewGate(), NewGate());
        var a = new RecordingService("A", new Recorder()) { OnStart = async _ => { inA.TrySetResult(); await releaseA.Task; } };
        var b = new RecordingService("B", new Recorder()) { OnStart = async _ => { inB.TrySetResult(); await releaseB.Task; } };
        var root = new RecordingService("ROOT", new Recorder());
        root.AddDependency(a);
        root.AddDependency(b);
        var startB = b.StartAsync(); // B starts on its own first and stays in OnStartAsync
        await inB.Task.Within();
        var startRoot = root.StartAsync(); // the root's start waits in A's OnStartAsync
        await inA.Task.Within();

        var (stuck, hook) = root.FindStuckStart();

        Assert.Same(a, stuck);
        Assert.Equal("OnStartAsync", hook);
        releaseA.SetResult();
        releaseB.SetResult();
        await startB.Within();
        await startRoot.Within();
        await root.StopAsync().Within();
    }

    [Fact]
    public async Task ServiceThread_OnStopAsyncAndOnThreadStopAsyncBothThrow_TheFirstErrorIsReported()
    {
        var service = new FailingThread();
        await service.StartAsync().Within();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within());

        Assert.Equal("OnStopAsync failed", error.Message);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    // ---- WaitForShutdown ----

    [Fact]
    public async Task WaitForShutdown_TheStopWaitsForSetShutdownAndLogsBothSteps()
    {
        var logs = new CapturingLoggerFactory();
        var service = new RecordingService("S", new Recorder()) { TimeProvider = new VirtualClock(), LoggerFactory = logs, WaitForShutdown = true };
        await service.StartAsync().Within();

        var stop = service.StopAsync();
        Assert.False(stop.IsCompleted);
        Assert.Contains(logs.Entries, e => Says(e, "Waiting for shutdown"));
        Assert.DoesNotContain(logs.Entries, e => Says(e, "Shutting down now"));

        service.SetShutdown();
        await stop.Within();
        Assert.Contains(logs.Entries, e => Says(e, "Shutting down now"));
    }

    [Fact]
    public async Task WaitForShutdown_AlreadySignalled_TheStopDoesNotWaitNorSayItWaits()
    {
        var logs = new CapturingLoggerFactory();
        var service = new RecordingService("S", new Recorder()) { TimeProvider = new VirtualClock(), LoggerFactory = logs, WaitForShutdown = true };
        await service.StartAsync().Within();
        service.SetShutdown();

        await service.StopAsync().Within();

        Assert.DoesNotContain(logs.Entries, e => Says(e, "Waiting for shutdown"));
        Assert.DoesNotContain(logs.Entries, e => Says(e, "Shutting down now"));
    }

    // ---- what a reset re-arms ----

    [Fact]
    public async Task Reset_WaitForShutdown_TheNextRunsStopWaitsForANewSetShutdown()
    {
        var service = new RecordingService("S", new Recorder()) { TimeProvider = new VirtualClock(), WaitForShutdown = true };
        await service.StartAsync().Within();
        var stop = service.StopAsync();
        service.SetShutdown();
        await stop.Within();

        service.Reset();
        await service.StartAsync().Within();
        var secondStop = service.StopAsync();

        Assert.False(secondStop.IsCompleted);
        service.SetShutdown();
        await secondStop.Within();
    }

    [Fact]
    public async Task Reset_WaitUntilStoppedAsync_WaitsAgainForTheNextRunsStop()
    {
        var service = new RecordingService("S", new Recorder());
        await service.StartAsync().Within();
        await service.StopAsync().Within();
        await service.WaitUntilStoppedAsync().Within();

        service.Reset();
        await service.StartAsync().Within();
        var stopped = service.WaitUntilStoppedAsync();

        Assert.False(stopped.IsCompleted);
        await service.StopAsync().Within();
        await stopped.Within();
    }

    [Fact]
    public async Task Reset_ASecondStopOfTheNextRun_WaitsForThatRunsStopToFinish()
    {
        var gate = NewGate();
        var runs = 0;
        var service = new RecordingService("S", new Recorder());
        service.OnStop = async _ =>
        {
            if (++runs == 2)
            {
                await gate.Task;
            }
        };
        await service.StartAsync().Within();
        await service.StopAsync().Within();

        service.Reset();
        await service.StartAsync().Within();
        var stop = service.StopAsync();
        var joined = service.StopAsync();

        Assert.False(joined.IsCompleted);
        gate.SetResult();
        await stop.Within();
        await joined.Within();
    }

    [Fact]
    public async Task Reset_DisposesThePreviousRunsStoppingTokenSource()
    {
        var service = new RecordingService("S", new Recorder());
        await service.StartAsync().Within();
        var token = service.StoppingToken;
        await service.StopAsync().Within();
        Assert.True(token.IsCancellationRequested);

        service.Reset();

        Assert.Throws<ObjectDisposedException>(() => token.WaitHandle);
        Assert.False(service.StoppingToken.IsCancellationRequested);
    }

    // ---- restarts ----

    [Fact]
    public async Task Restart_OnRestartAsyncThrows_LeavesNoHookShowing()
    {
        var service = new RestartHooked("S") { RestartError = new InvalidOperationException("restart failed") };
        await service.StartAsync().Within();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.RestartAsync().Within());

        Assert.Equal("restart failed", error.Message);
        Assert.Null(service.CurrentHook);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task Restart_StopRequestedDuringItsStop_GivesUpBeforeTheResetAndRunsNoRestartHook()
    {
        var recorder = new Recorder();
        var inStop = NewGate();
        var release = NewGate();
        var stops = 0;
        var service = new RestartHooked("S", recorder);
        service.OnStop = async _ =>
        {
            if (++stops == 1)
            {
                inStop.SetResult();
                await release.Task;
            }
        };
        await service.StartAsync().Within();

        var restart = service.RestartAsync();
        await inStop.Task.Within();
        var stop = service.StopAsync();
        Assert.False(stop.IsCompleted);
        release.SetResult();
        await restart.Within();
        await stop.Within();

        Assert.Equal(0, service.RestartCount);
        Assert.DoesNotContain("S on_restart", recorder.Events);
        Assert.Single(recorder.Matching("on_start"));
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task Restart_StopRequestedWhileTheRestartsStopFails_TheStopReportsThatError()
    {
        var inStop = NewGate();
        var release = NewGate();
        var boom = new InvalidOperationException("the restart's stop failed");
        var service = new RecordingService("S", new Recorder());
        service.OnStop = async _ =>
        {
            inStop.SetResult();
            await release.Task;
            throw boom;
        };
        await service.StartAsync().Within();

        var restart = service.RestartAsync();
        await inStop.Task.Within();
        var stop = service.StopAsync();
        release.SetResult();

        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => restart.Within()));
        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => stop.Within()));
        Assert.Equal(0, service.RestartCount);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task Restart_StopRequestedDuringOnRestartAsync_PutsTheWholeResetTreeBackToStopped()
    {
        var recorder = new Recorder();
        var g1 = new RecordingService("G1", recorder);
        var g2 = new RecordingService("G2", recorder);
        var c1 = new RecordingService("C1", recorder, g1);
        var c2 = new RecordingService("C2", recorder, g2);
        var root = new RestartHooked("ROOT", recorder, c1, c2) { RestartGate = NewGate() };
        Service[] tree = [root, c1, c2, g1, g2];
        await root.StartAsync().Within();
        Assert.All(tree, s => Assert.Equal(ServiceState.Running, s.State));

        var restart = root.RestartAsync();
        await root.InRestart.Task.Within();
        Assert.Equal(ServiceState.Restarting, root.State);
        Assert.All([c1, c2, g1, g2], s => Assert.Equal(ServiceState.Init, s.State)); // the restart's reset reset them all
        var stop = root.StopAsync();
        Assert.False(stop.IsCompleted);
        root.RestartGate.SetResult();
        await restart.Within();
        await stop.Within();

        Assert.All(tree, s => Assert.Equal(ServiceState.Shutdown, s.State));
        foreach (var service in tree)
        {
            await service.WaitUntilStoppedAsync().Within();
        }

        Assert.Equal(1, root.RestartCount);
        Assert.Equal(5, recorder.Matching("on_start").Count); // nothing started a second time
    }

    // ---- starts ----

    [Fact]
    public async Task MaybeStartAsync_StartThatCompletesLater_ReturnsTrueWhenItDoes()
    {
        var gate = NewGate();
        var service = new RecordingService("S", new Recorder()) { OnStart = async _ => await gate.Task };

        var start = service.MaybeStartAsync();
        Assert.False(start.IsCompleted);
        gate.SetResult();

        Assert.True(await start.Within());
        Assert.False(await service.MaybeStartAsync().Within());
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task MaybeStartAsync_AfterAStopOfANeverStartedService_StartsNothing()
    {
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder);
        await service.StopAsync().Within();

        Assert.False(await service.MaybeStartAsync().Within());
        await service.StartAsync().Within(); // returns at once, does not throw "already started"

        Assert.False(service.IsStarted);
        Assert.Empty(recorder.Matching("on_start"));
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task MaybeStartAsync_ItsSupervisorHasBegunStopping_StartsNothingThoughTheSupervisorIsNotItsParent()
    {
        var recorder = new Recorder();
        var supervisor = new OneForOneSupervisor();
        var service = new RecordingService("S", recorder) { Supervisor = supervisor };
        await supervisor.StopAsync().Within();

        Assert.False(await service.MaybeStartAsync().Within());
        Assert.Empty(recorder.Matching("on_start"));
        Assert.Equal(ServiceState.Init, service.State);
    }

    [Fact]
    public async Task StartAsync_OfAStartedChildWhileItsParentStops_StillSaysAlreadyStarted()
    {
        var gate = NewGate();
        var child = new RecordingService("C", new Recorder());
        var parent = new RecordingService("P", new Recorder(), child) { OnStop = async _ => await gate.Task };
        await parent.StartAsync().Within();

        var stop = parent.StopAsync();
        Assert.False(stop.IsCompleted);

        var error = Assert.Throws<InvalidOperationException>(() => { _ = child.StartAsync(); });
        Assert.Contains("already started", error.Message, StringComparison.Ordinal);
        gate.SetResult();
        await stop.Within();
    }

    [Fact]
    public async Task Start_StoppedDuringOnFirstStartAsync_NeverSaysStartingNorCallsOnStartAsync()
    {
        var logs = new CapturingLoggerFactory();
        var recorder = new Recorder();
        var service = new RestartHooked("S", recorder) { LoggerFactory = logs, FirstStartGate = NewGate() };

        var start = service.StartAsync();
        await service.InFirstStart.Task.Within();
        await service.StopAsync().Within();
        service.FirstStartGate.SetResult();
        await start.Within();

        Assert.DoesNotContain(logs.Entries, e => Says(e, "Starting..."));
        Assert.Empty(recorder.Matching("on_start"));
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task Start_StoppedDuringOnStartAsync_StartsNoBackgroundWork()
    {
        var service = new GatedTimer { TimeProvider = new VirtualClock() };

        var start = service.StartAsync();
        await service.InStart.Task.Within();
        var stop = service.StopAsync(); // waits in OnStopAsync: the background work is not closed yet
        service.StartGate.SetResult();
        await start.Within();
        service.StopGate.SetResult();
        await stop.Within();

        Assert.Empty(service.Timers);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task Start_ParentResetWhileItStartsItsChildren_EndsWithoutRunningOnStartedAsync()
    {
        var recorder = new Recorder();
        var logs = new CapturingLoggerFactory();
        RecordingService? parent = null;
        var child = new RecordingService("C", recorder) { OnStart = _ => { parent!.Reset(); return default; } };
        parent = new RecordingService("P", recorder, child) { LoggerFactory = logs };

        await parent.StartAsync().Within();

        Assert.Empty(recorder.Matching("on_started"));
        Assert.DoesNotContain(logs.Entries, e => Says(e, "Started."));
        Assert.Equal(ServiceState.Init, parent.State);
        Assert.Equal(ServiceState.Init, child.State);
        Assert.False(parent.IsStarted);
    }

    // ---- Mode.Testing's harness: notifications and hooks ----

    [Fact]
    public async Task Harness_WaitForStateAsync_WakesWhenAStopBegins()
    {
        var gate = NewGate();
        var service = new RecordingService("S", new Recorder()) { OnStop = async _ => await gate.Task };
        await using var harness = await ServiceHarness.StartAsync(service);

        var stopping = harness.WaitForStateAsync(service, ServiceState.Stopping);
        Assert.False(stopping.IsCompleted);
        var stop = service.StopAsync();
        await stopping.Within();

        gate.SetResult();
        await stop.Within();
    }

    [Fact]
    public async Task Harness_WaitForStateAsync_WakesWhenAStartReachesRunning()
    {
        var gate = NewGate();
        var service = new RecordingService("S", new Recorder()) { OnStart = async _ => await gate.Task };
        await using var harness = ServiceHarness.Create(service);

        var start = service.StartAsync();
        var running = harness.WaitForStateAsync(service, ServiceState.Running);
        Assert.False(running.IsCompleted);
        gate.SetResult();

        await running.Within();
        await start.Within();
    }

    [Fact]
    public async Task Harness_WaitForCrashAsync_WakesWhenTheServiceCrashes()
    {
        var service = new RecordingService("S", new Recorder());
        await using var harness = await ServiceHarness.StartAsync(service);
        var reason = new InvalidOperationException("crash");

        var crashed = harness.WaitForCrashAsync();
        Assert.False(crashed.IsCompleted);
        service.Crash(reason);

        Assert.Same(reason, await crashed.Within());
    }

    [Fact]
    public async Task Harness_Hooks_RecordOnStartedOnShutdownAndOnRestart()
    {
        var service = new RestartHooked("S");
        await using var harness = await ServiceHarness.StartAsync(service);

        await service.RestartAsync().Within();
        await harness.StopAsync().Within();

        Assert.Equal(
            "S.OnStartedAsync, S.OnShutdownAsync, S.OnRestartAsync, S.OnStartedAsync, S.OnShutdownAsync",
            harness.HookOrder("OnStartedAsync", "OnShutdownAsync", "OnRestartAsync"));
    }

    [Fact]
    public async Task CurrentHook_DuringOnShutdownAsync_IsOnShutdownAsync()
    {
        string? seen = null;
        RecordingService? service = null;
        service = new RecordingService("S", new Recorder()) { OnShutdown = _ => { seen = service!.CurrentHook; return default; } };
        await service.StartAsync().Within();

        await service.StopAsync().Within();

        Assert.Equal("OnShutdownAsync", seen);
        Assert.Null(service.CurrentHook);
    }

    // ---- crash ----

    [Fact]
    public void Crash_NullReason_ThrowsArgumentNullException()
    {
        var service = new RecordingService("S", new Recorder());

        var error = Assert.Throws<ArgumentNullException>(() => service.Crash(null!));

        Assert.Equal("reason", error.ParamName);
        Assert.False(service.IsCrashed);
    }

    [Fact]
    public async Task Crash_OfALeaf_CrashesEveryAncestorAndTheirSubtrees()
    {
        var recorder = new Recorder();
        var leaf = new RecordingService("LEAF", recorder);
        var sibling = new RecordingService("SIBLING", recorder);
        var mid = new RecordingService("MID", recorder, leaf);
        var root = new RecordingService("ROOT", recorder, mid, sibling);
        await root.StartAsync().Within();
        var reason = new InvalidOperationException("leaf failed");

        leaf.Crash(reason);

        Assert.All([root, mid, leaf, sibling], s =>
        {
            Assert.True(s.IsCrashed);
            Assert.Same(reason, s.CrashReason);
        });
        await root.WaitUntilStoppedAsync().Within();
    }

    // ---- dispose ----

    [Fact]
    public async Task DisposeAsync_Twice_StopsOnceAndANeverStartedServiceNotAtAll()
    {
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder);
        var idle = new RecordingService("IDLE", recorder);
        await service.StartAsync().Within();

        await service.DisposeAsync();
        await service.DisposeAsync();
        await idle.DisposeAsync();

        Assert.Equal(["S on_stop"], recorder.Matching("on_stop"));
        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Equal(ServiceState.Init, idle.State);
    }

    [Fact]
    public async Task DisposeAsync_DoesNotResumeOnTheCallersSynchronizationContext()
    {
        var service = new StopGated();
        await service.StartAsync().Within();
        var context = new CountingContext();
        var previous = SynchronizationContext.Current;
        Task dispose;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            dispose = service.DisposeAsync().AsTask();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        Assert.False(dispose.IsCompleted);
        service.Gate.SetResult();
        await dispose.Within();

        Assert.Equal(0, context.Posts);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    // ---- test services ----

    /// <summary>A <see cref="RecordingService"/> whose first start and restart hooks can be held or fail.</summary>
    private sealed class RestartHooked(string name, Recorder? recorder = null, params IService[] dependencies)
        : RecordingService(name, recorder ?? new Recorder(), dependencies)
    {
        public TaskCompletionSource? FirstStartGate { get; init; }

        public TaskCompletionSource InFirstStart { get; } = NewGate();

        public TaskCompletionSource? RestartGate { get; init; }

        public TaskCompletionSource InRestart { get; } = NewGate();

        public Exception? RestartError { get; init; }

        protected override async ValueTask OnFirstStartAsync(CancellationToken cancellationToken)
        {
            await base.OnFirstStartAsync(cancellationToken);
            InFirstStart.TrySetResult();
            if (FirstStartGate is { } gate)
            {
                await gate.Task;
            }
        }

        protected override async ValueTask OnRestartAsync(CancellationToken cancellationToken)
        {
            await base.OnRestartAsync(cancellationToken);
            InRestart.TrySetResult();
            if (RestartGate is { } gate)
            {
                await gate.Task;
            }

            if (RestartError is { } error)
            {
                throw error;
            }
        }
    }

    /// <summary>Nothing set on it: its rarely-used state is created only when it needs to keep something.</summary>
    private sealed class FailingStop : Service
    {
        protected override ValueTask OnStopAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("plain stop failed");
    }

    private sealed class FailingThread : ServiceThread
    {
        protected override ValueTask OnStopAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("OnStopAsync failed");

        protected override ValueTask OnThreadStopAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("OnThreadStopAsync failed");
    }

    /// <summary>A one-second timer; its start and its stop wait for their gates.</summary>
    private sealed class GatedTimer : Service
    {
        public TaskCompletionSource InStart { get; } = NewGate();

        public TaskCompletionSource StartGate { get; } = NewGate();

        public TaskCompletionSource StopGate { get; } = NewGate();

        protected override void ConfigureWiring(ServiceWiring wiring)
        {
            base.ConfigureWiring(wiring);
            wiring.AddTimer("GatedTimer.Tick", 1, static (_, _) => default);
        }

        protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            InStart.TrySetResult();
            await StartGate.Task.ConfigureAwait(false);
        }

        protected override async ValueTask OnStopAsync(CancellationToken cancellationToken) =>
            await StopGate.Task.ConfigureAwait(false);
    }

    /// <summary>Its stop waits for <see cref="Gate"/>, without capturing any context.</summary>
    private sealed class StopGated : Service
    {
        public TaskCompletionSource Gate { get; } = NewGate();

        protected override async ValueTask OnStopAsync(CancellationToken cancellationToken) =>
            await Gate.Task.ConfigureAwait(false);
    }

    private sealed class CountingContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            base.Post(d, state);
        }
    }
}
