using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class SupervisorTests
{
    [Fact]
    public async Task OneForOne_ServiceWhoseOnStopAsyncFails_IsStillRestarted()
    {
        // The supervisor's stop of the crashed service reports the OnStopAsync error (logged); the
        // restart that follows joins that finished stop and must not fail on the same error again,
        // or a service with a faulty stop hook could never be restarted.
        var recorder = new Recorder();
        var logs = new CapturingLoggerFactory();
        var a = new StartCountingService("A", recorder) { OnStop = _ => throw new InvalidOperationException("stop hook failed") };
        var supervisor = new OneForOneSupervisor([a]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();

        a.Crash(new InvalidOperationException("a failed"));
        await a.StartedTimes(2).Within();

        Assert.Equal(ServiceState.Running, a.State);
        Assert.Equal(1, a.RestartCount);
        Assert.Contains(logs.Entries, e => e.Exception?.Message == "stop hook failed");
        a.OnStop = null;
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task OneForOne_Crash_RestartsOnlyTheCrashedServiceAtOnce()
    {
        var recorder = new Recorder();
        var a = new StartCountingService("A", recorder);
        var b = new StartCountingService("B", recorder);
        var supervisor = new OneForOneSupervisor([a, b]);
        await supervisor.StartAsync().Within();

        a.Crash(new InvalidOperationException("a failed"));
        await a.StartedTimes(2).Within();

        Assert.Equal(ServiceState.Running, a.State);
        Assert.Equal(1, a.RestartCount);
        Assert.Equal(1, b.Starts);
        Assert.Equal(0, b.RestartCount);
        Assert.False(supervisor.IsCrashed);
        Assert.Equal(1, supervisor.TotalRestarts);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task OneForOne_ServicesGivenToConstructorAndAdded_AreSupervisedAlike()
    {
        var recorder = new Recorder();
        var given = new StartCountingService("GIVEN", recorder);
        var added = new StartCountingService("ADDED", recorder);
        var supervisor = new OneForOneSupervisor([given]);
        supervisor.Add(added);
        await supervisor.StartAsync().Within();

        Assert.Same(supervisor, given.Supervisor);
        Assert.Same(supervisor, added.Supervisor);
        given.Crash(new InvalidOperationException("x"));
        added.Crash(new InvalidOperationException("y"));

        await given.StartedTimes(2).Within();
        await added.StartedTimes(2).Within();
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task OneForOne_Crash_DoesNotCrashTheRestOfTheTree()
    {
        var recorder = new Recorder();
        var a = new StartCountingService("A", recorder);
        var supervisor = new OneForOneSupervisor([a]);
        var root = new RecordingService("ROOT", recorder, supervisor);
        await root.StartAsync().Within();

        a.Crash(new InvalidOperationException("x"));
        await a.StartedTimes(2).Within();

        Assert.False(root.IsCrashed);
        Assert.False(supervisor.IsCrashed);
        await root.StopAsync().Within();
    }

    [Fact]
    public async Task OneForOne_LogsRestartingDeadWithTheReason()
    {
        var logs = new CapturingLoggerFactory();
        var a = new StartCountingService("A", new Recorder());
        var supervisor = new OneForOneSupervisor([a]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();

        a.Crash(new InvalidOperationException("disk full"));
        await a.StartedTimes(2).Within();

        Assert.Contains(logs.Entries, e => e.Message == "Restarting dead A! Last crash reason: InvalidOperationException(disk full)");
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task OneForAll_Crash_StopsAllInReverseAndRestartsAllInOrder()
    {
        var recorder = new Recorder();
        var a = new StartCountingService("A", recorder);
        var b = new StartCountingService("B", recorder);
        var c = new StartCountingService("C", recorder);
        var supervisor = new OneForAllSupervisor([a, b, c]);
        await supervisor.StartAsync().Within();
        var before = recorder.Events.Count;

        b.Crash(new InvalidOperationException("b failed"));
        await c.StartedTimes(2).Within();

        var after = recorder.Events.Skip(before).ToArray();
        Assert.Equal(["C on_stop", "B on_stop", "A on_stop"], after.Where(e => e.EndsWith("on_stop", StringComparison.Ordinal)));
        Assert.Equal(["A on_start", "B on_start", "C on_start"], after.Where(e => e.EndsWith("on_start", StringComparison.Ordinal)));
        Assert.All([a, b, c], s => Assert.Equal(ServiceState.Running, s.State));
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task ForfeitOneForOne_Crash_StopsTheCrashedOneAndLeavesTheOthers()
    {
        var logs = new CapturingLoggerFactory();
        var recorder = new Recorder();
        var a = new StartCountingService("A", recorder);
        var b = new StartCountingService("B", recorder);
        var supervisor = new ForfeitOneForOneSupervisor([a, b]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();

        a.Crash(new InvalidOperationException("x"));
        await logs.WaitForAsync(e => e.Level == LogLevel.Critical).Within();
        await a.WaitUntilStoppedAsync().Within();
        await supervisor.StopAsync().Within();

        Assert.Equal(1, a.Starts);
        Assert.Single(recorder.Matching("A on_shutdown"));
        Assert.Equal(1, b.Starts);
        Assert.DoesNotContain(a, supervisor.Services);
    }

    [Fact]
    public async Task ForfeitOneForAll_Crash_StopsEveryService()
    {
        var logs = new CapturingLoggerFactory();
        var recorder = new Recorder();
        var a = new StartCountingService("A", recorder);
        var b = new StartCountingService("B", recorder);
        var supervisor = new ForfeitOneForAllSupervisor([a, b]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();
        var bStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.OnShutdown = _ => { bStopped.TrySetResult(); return default; };

        a.Crash(new InvalidOperationException("x"));
        await bStopped.Task.Within();

        Assert.Equal(ServiceState.Shutdown, b.State);
        Assert.Empty(supervisor.Services);
        Assert.False(supervisor.IsCrashed);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task MaxRestartsExceeded_CrashesTheSupervisorAndEscalatesToTheTree()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var recorder = new Recorder();
        var a = new StartCountingService("A", recorder);
        var supervisor = new OneForOneSupervisor([a], maxRestarts: 1, over: TimeSpan.FromSeconds(10));
        var root = new RecordingService("ROOT", recorder, supervisor) { TimeProvider = clock, LoggerFactory = logs };
        await root.StartAsync().Within();

        a.Crash(new InvalidOperationException("first"));
        await a.StartedTimes(2).Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(5));
        a.Crash(new InvalidOperationException("second"));
        await root.WaitUntilStoppedAsync().Within();

        Assert.True(supervisor.IsCrashed);
        Assert.True(root.IsCrashed);
        var reason = Assert.IsType<MaxRestartsExceededException>(supervisor.CrashReason);
        Assert.Equal("second", reason.InnerException!.Message);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Max restarts exceeded", StringComparison.Ordinal));
        await root.StopAsync().Within();
    }

    [Fact]
    public async Task MaxRestarts_IsASlidingWindow()
    {
        var clock = new VirtualClock();
        var a = new StartCountingService("A", new Recorder());
        var supervisor = new OneForOneSupervisor([a], maxRestarts: 2, over: TimeSpan.FromSeconds(10)) { TimeProvider = clock };
        await supervisor.StartAsync().Within();

        for (var i = 0; i < 6; i++)
        {
            a.Crash(new InvalidOperationException($"crash {i}"));
            await a.StartedTimes(i + 2).Within();
            clock.AdvanceStepwise(TimeSpan.FromSeconds(6)); // never more than 2 restarts within any 10 s
        }

        Assert.False(supervisor.IsCrashed);
        Assert.Equal(6, supervisor.TotalRestarts);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task MaxRestartsExceeded_UnderAnotherSupervisor_EscalatesToIt()
    {
        var recorder = new Recorder();
        var a = new StartCountingService("A", recorder);
        var inner = new OneForOneSupervisor([a], maxRestarts: 0);
        var outer = new OneForOneSupervisor([inner]);
        await outer.StartAsync().Within();

        a.Crash(new InvalidOperationException("x"));
        await a.StartedTimes(2).Within();

        Assert.False(outer.IsCrashed);
        Assert.Equal(1, inner.RestartCount);
        Assert.Equal(1, outer.TotalRestarts);
        await outer.StopAsync().Within();
    }

    [Fact]
    public async Task Replacement_PutsTheNewServiceInTheSamePositionAndStartsIt()
    {
        var recorder = new Recorder();
        var a = new StartCountingService("A", recorder);
        var b = new StartCountingService("B", recorder);
        var fresh = new StartCountingService("A2", recorder);
        (IService, int)? called = null;
        var supervisor = new OneForOneSupervisor(
            [a, b],
            replacement: (crashed, index) => { called = (crashed, index); return Task.FromResult<IService>(fresh); });
        await supervisor.StartAsync().Within();

        a.Crash(new InvalidOperationException("x"));
        await fresh.StartedTimes(1).Within();

        Assert.Equal((a, 0), called!.Value);
        Assert.Equal([fresh, b], supervisor.Services);
        Assert.Same(supervisor, fresh.Supervisor);
        Assert.Equal(ServiceState.Crashed, a.State);
        Assert.Single(recorder.Matching("A on_shutdown"));
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task CrashingSupervisor_Crash_CrashesTheWholeTree()
    {
        var recorder = new Recorder();
        var a = new StartCountingService("A", recorder);
        var supervisor = new CrashingSupervisor([a]);
        var root = new RecordingService("ROOT", recorder, supervisor);
        await root.StartAsync().Within();

        a.Crash(new InvalidOperationException("fatal"));
        await root.WaitUntilStoppedAsync().Within();

        Assert.Null(a.Supervisor);
        Assert.True(root.IsCrashed);
        Assert.Equal("fatal", root.CrashReason!.Message);
        await root.StopAsync().Within();
    }

    [Fact]
    public async Task Supervisor_Stop_StopsItsServicesInReverse()
    {
        var recorder = new Recorder();
        var supervisor = new OneForOneSupervisor([new StartCountingService("A", recorder), new StartCountingService("B", recorder)]);
        await supervisor.StartAsync().Within();

        await supervisor.StopAsync().Within();

        Assert.Equal(["B on_stop", "A on_stop"], recorder.Matching("on_stop"));
    }

    [Fact]
    public async Task Add_WhileRunning_StartsTheService()
    {
        var supervisor = new OneForOneSupervisor();
        await supervisor.StartAsync().Within();
        var late = new StartCountingService("LATE", new Recorder());

        supervisor.Add(late);

        await late.StartedTimes(1).Within();
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public void Add_ServiceOfAnotherSupervisor_Throws()
    {
        var a = new StartCountingService("A", new Recorder());
        _ = new OneForOneSupervisor([a]);

        Assert.Throws<InvalidOperationException>(() => new OneForOneSupervisor([a]));
    }

    [Fact]
    public async Task Discard_StopsSupervising()
    {
        var a = new StartCountingService("A", new Recorder());
        var supervisor = new OneForOneSupervisor([a]);

        supervisor.Discard(a);

        Assert.Null(a.Supervisor);
        Assert.Empty(supervisor.Services);
        await supervisor.StartAsync().Within();
        Assert.Equal(ServiceState.Init, a.State);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task FailingRestart_CountsAsAnotherCrashUntilTheLimit()
    {
        var recorder = new Recorder();
        var a = new StartCountingService("A", recorder);
        var supervisor = new OneForOneSupervisor([a], maxRestarts: 3, over: TimeSpan.FromHours(1));
        var root = new RecordingService("ROOT", recorder, supervisor);
        await root.StartAsync().Within();
        a.OnStart = _ => throw new InvalidOperationException("cannot start any more");

        a.Crash(new InvalidOperationException("first"));
        await root.WaitUntilStoppedAsync().Within();

        Assert.Equal(3, supervisor.TotalRestarts);
        Assert.IsType<MaxRestartsExceededException>(supervisor.CrashReason);
        await root.StopAsync().Within();
    }
}
