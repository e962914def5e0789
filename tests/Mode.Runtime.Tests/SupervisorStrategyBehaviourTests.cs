using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Mode.Diagnostics;
using Mode.Runtime.Tests.Support;
using Mode.Testing;
using Held = Mode.Runtime.Tests.StopRestartRaceTests.Held;

namespace Mode.Runtime.Tests;

/// <summary>
/// The supervisors' shared behaviour (<see cref="SupervisorStrategy"/>): argument checks, Insert,
/// the restart window's edge, failing stops and replacements, and what the building blocks a
/// strategy calls return. These pin down behaviour that mutation testing found untested.
/// </summary>
public class SupervisorStrategyBehaviourTests
{
    /// <summary>
    /// A strategy that does nothing on its own (its pass ignores crashes), so that a test can call
    /// the building blocks a strategy uses and look at what they return.
    /// </summary>
    private sealed class Probe(
        string name,
        IEnumerable<IService>? services = null,
        int maxRestarts = 100,
        TimeSpan? over = null,
        Func<IService, int, Task<IService>>? replacement = null)
        : SupervisorStrategy(services, maxRestarts, over, replacement)
    {
        public override string Label => name;

        public Task<bool> CallRestartServiceAsync(IService service) => RestartServiceAsync(service, CancellationToken.None);

        public Task<bool> CallWaitBeforeRestartAsync(IService service) => WaitBeforeRestartAsync(service, CancellationToken.None);

        public Task CallStopServicesAsync(IEnumerable<IService> services) => StopServicesAsync(services, CancellationToken.None);

        protected override Task RestartServicesAsync(IReadOnlyList<IService> crashed, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }

    /// <summary>A service whose every start fails.</summary>
    private sealed class FailingStart(string name) : Service
    {
        public override string Label => name;

        protected override ValueTask OnStartAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"{name} cannot start");
    }

    [Fact]
    public void Constructor_WithNegativeMaxRestarts_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new OneForOneSupervisor(maxRestarts: -1));

        Assert.Equal("maxRestarts", ex.ParamName);
    }

    [Fact]
    public void Constructor_WithAWindowOfZeroOrLess_Throws()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new OneForOneSupervisor(over: TimeSpan.Zero));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new OneForAllSupervisor(over: TimeSpan.FromSeconds(-1)));

        Assert.Equal("over", zero.ParamName);
        Assert.Equal("over", negative.ParamName);
        Assert.Equal(0, new OneForOneSupervisor(maxRestarts: 0).MaxRestarts);
    }

    [Fact]
    public async Task Backoff_SetAfterTheStart_SaysWhichSupervisorAndWhy()
    {
        var supervisor = new Probe("SUP");
        await supervisor.StartAsync().Within();

        var ex = Assert.Throws<InvalidOperationException>(() => supervisor.Backoff = new RestartBackoff(TimeSpan.FromSeconds(1)));

        Assert.Contains("Backoff of supervisor 'SUP' cannot change after it started", ex.Message, StringComparison.Ordinal);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public void AddDiscardAndInsert_OfNull_ThrowArgumentNull()
    {
        var supervisor = new OneForOneSupervisor([new StartCountingService("A")]);

        Assert.Equal("service", Assert.Throws<ArgumentNullException>(() => supervisor.Add(null!)).ParamName);
        Assert.Equal("service", Assert.Throws<ArgumentNullException>(() => supervisor.Discard(null!)).ParamName);
        Assert.Equal("service", Assert.Throws<ArgumentNullException>(() => supervisor.Insert(0, null!)).ParamName);
        Assert.Single(supervisor.Services);
    }

    [Fact]
    public void Insert_AtANegativeIndex_ThrowsAndLeavesTheServiceUnsupervised()
    {
        var a = new StartCountingService("A");
        var b = new StartCountingService("B");
        var supervisor = new OneForOneSupervisor([a]);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => supervisor.Insert(-1, b));

        Assert.Equal("index", ex.ParamName);
        Assert.Null(b.Supervisor);
        Assert.Equal([a], supervisor.Services);
    }

    [Fact]
    public void Insert_AtOrPastTheEnd_AddsTheService()
    {
        var a = new StartCountingService("A");
        var b = new StartCountingService("B");
        var c = new StartCountingService("C");
        var supervisor = new OneForOneSupervisor([a]);

        supervisor.Insert(1, b);
        supervisor.Insert(5, c);

        Assert.Equal([a, b, c], supervisor.Services);
        Assert.Same(supervisor, b.Supervisor);
        Assert.Same(supervisor, c.Supervisor);
    }

    [Fact]
    public void Insert_OverAService_ReplacesItAndReleasesTheOldOne()
    {
        var a = new StartCountingService("A");
        var b = new StartCountingService("B");
        var c = new StartCountingService("C");
        var supervisor = new OneForOneSupervisor([a, b]);

        supervisor.Insert(0, c);

        Assert.Equal([c, b], supervisor.Services);
        Assert.Null(a.Supervisor);
        Assert.Same(supervisor, c.Supervisor);
        Assert.Same(supervisor, b.Supervisor);
    }

    [Fact]
    public void Add_OfAServiceOfAnotherSupervisor_SaysWhichService()
    {
        var a = new StartCountingService("A");
        _ = new OneForOneSupervisor([a]);
        var other = new OneForOneSupervisor();

        var ex = Assert.Throws<InvalidOperationException>(() => other.Add(a));

        Assert.Equal("Service 'A' is already supervised by another supervisor.", ex.Message);
        Assert.Empty(other.Services);
    }

    [Fact]
    public async Task RunningSupervisor_NamesItsLoopAndTheStartOfAnAddedService()
    {
        var supervisor = new Probe("SUP");
        await supervisor.StartAsync().Within();
        var late = new Held("LATE");
        var gate = late.HoldNextStart();

        supervisor.Add(late);
        await gate.Entered.Within();

        Assert.Contains("start LATE", supervisor.RunningTasks);
        Assert.Contains("Supervisor.Supervise", supervisor.RunningTasks);
        gate.Release();
        await late.TaskRunning.Within();
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task BuildingBlocks_OfNull_ThrowArgumentNull()
    {
        var supervisor = new Probe("SUP");

        Assert.Equal("service", (await Assert.ThrowsAsync<ArgumentNullException>(() => supervisor.CallRestartServiceAsync(null!))).ParamName);
        Assert.Equal("service", (await Assert.ThrowsAsync<ArgumentNullException>(() => supervisor.CallWaitBeforeRestartAsync(null!))).ParamName);
        Assert.Equal("services", (await Assert.ThrowsAsync<ArgumentNullException>(() => supervisor.CallStopServicesAsync(null!))).ParamName);
        Assert.Equal(0, supervisor.TotalRestarts);
    }

    [Fact]
    public async Task RestartService_OfACrashedSupervisor_RestartsNothingAndReturnsFalse()
    {
        var a = new StartCountingService("A");
        var supervisor = new Probe("SUP", [a]);
        await supervisor.StartAsync().Within();
        supervisor.Crash(new InvalidOperationException("supervisor failed"));

        Assert.False(await supervisor.CallRestartServiceAsync(a).Within());

        Assert.Equal(1, a.Starts);
        Assert.Equal(0, supervisor.TotalRestarts);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task RestartService_OverTheLimit_CrashesTheSupervisorAndReturnsFalse()
    {
        var a = new StartCountingService("A");
        var supervisor = new Probe("SUP", [a], maxRestarts: 0, over: TimeSpan.FromSeconds(10));
        await supervisor.StartAsync().Within();
        a.Crash(new InvalidOperationException("a failed"));

        Assert.False(await supervisor.CallRestartServiceAsync(a).Within());

        Assert.True(supervisor.IsCrashed);
        var reason = Assert.IsType<MaxRestartsExceededException>(supervisor.CrashReason);
        Assert.Equal("Max restarts exceeded: supervisor 'SUP' allows 0 restarts within 00:00:10.", reason.Message);
        Assert.Equal("a failed", reason.InnerException!.Message);
        Assert.Equal(1, a.Starts);
        Assert.Equal(0, supervisor.TotalRestarts);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task RestartService_WithAReplacement_ReturnsTrueWithTheReplacementInPlace()
    {
        var a = new StartCountingService("A");
        var b = new StartCountingService("B");
        var fresh = new StartCountingService("B2");
        (IService, int)? called = null;
        var supervisor = new Probe(
            "SUP",
            [a, b],
            replacement: (crashed, index) => { called = (crashed, index); return Task.FromResult<IService>(fresh); });
        await supervisor.StartAsync().Within();

        Assert.True(await supervisor.CallRestartServiceAsync(b).Within());

        Assert.Equal((b, 1), called!.Value);
        Assert.Equal([a, fresh], supervisor.Services);
        Assert.Equal(1, fresh.Starts);
        Assert.Equal(1, supervisor.TotalRestarts);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task RestartService_WithAReplacement_OfAServiceNoLongerSupervised_AddsTheReplacementAtTheEnd()
    {
        var a = new StartCountingService("A");
        var gone = new StartCountingService("GONE");
        var fresh = new StartCountingService("FRESH");
        int? index = null;
        var supervisor = new Probe(
            "SUP",
            [a, gone],
            replacement: (_, i) => { index = i; return Task.FromResult<IService>(fresh); });
        await supervisor.StartAsync().Within();
        supervisor.Discard(gone);

        Assert.True(await supervisor.CallRestartServiceAsync(gone).Within());

        Assert.Equal(1, index);
        Assert.Equal([a, fresh], supervisor.Services);
        Assert.Equal(1, fresh.Starts);
        await supervisor.StopAsync().Within();
        await gone.StopAsync().Within();
    }

    [Fact]
    public async Task Replacement_WhoseFactoryFails_IsTriedAgainOnTheNextPass()
    {
        var a = new StartCountingService("A");
        var fresh = new StartCountingService("A2");
        var calls = 0;
        var supervisor = new OneForOneSupervisor(
            [a],
            replacement: (_, _) => Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("no replacement yet")
                : Task.FromResult<IService>(fresh));
        await supervisor.StartAsync().Within();

        a.Crash(new InvalidOperationException("a failed"));
        await fresh.StartedTimes(1).Within();

        Assert.Equal(2, Volatile.Read(ref calls));
        Assert.Equal([fresh], supervisor.Services);
        Assert.Equal(2, supervisor.TotalRestarts);
        Assert.False(supervisor.IsCrashed);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task Replacement_WhoseStartFails_IsReplacedAgainOnTheNextPass()
    {
        var a = new StartCountingService("A");
        var broken = new FailingStart("A2");
        var fresh = new StartCountingService("A3");
        var crashedOnes = new List<IService>();
        var supervisor = new OneForOneSupervisor(
            [a],
            replacement: (crashed, _) =>
            {
                lock (crashedOnes)
                {
                    crashedOnes.Add(crashed);
                    return Task.FromResult<IService>(crashedOnes.Count == 1 ? broken : fresh);
                }
            });
        await supervisor.StartAsync().Within();

        a.Crash(new InvalidOperationException("a failed"));
        await fresh.StartedTimes(1).Within();

        lock (crashedOnes)
        {
            Assert.Equal([a, broken], crashedOnes);
        }

        Assert.Equal([fresh], supervisor.Services);
        Assert.Equal("A2 cannot start", broken.CrashReason!.Message);
        Assert.Equal(2, supervisor.TotalRestarts);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task Backoff_WhenTheCrashedServiceFailsToStop_LogsItAndStillWaits()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var a = new StartCountingService("A") { OnStop = _ => throw new InvalidOperationException("stuck socket") };
        var supervisor = new OneForOneSupervisor([a])
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            Backoff = new RestartBackoff(TimeSpan.FromSeconds(5), jitter: 0),
        };
        await supervisor.StartAsync().Within();

        a.Crash(new InvalidOperationException("a failed"));
        await logs.WaitForAsync(e => e.Message == "Restarting dead A in 5.0 s (attempt 1). Last crash reason: InvalidOperationException(a failed)").Within();
        await clock.WaitForArmedTimersAsync(1).Within();

        var failure = Assert.Single(logs.Entries, e => e.Message == "Error while stopping A");
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Equal("stuck socket", failure.Exception!.Message);
        Assert.True(supervisor.TryGetRestartDue(a, out var due));
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(5), due);
        Assert.False(supervisor.IsCrashed);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task Backoff_AServiceThatCrashesAgainWhileItIsRestarted_IsRestartedOnceThatRestartEnds()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var b = new Held("B");
        var supervisor = new OneForOneSupervisor([a, b])
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            Backoff = new RestartBackoff(TimeSpan.FromSeconds(1), factor: 1, jitter: 0),
        };
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();
        await b.TaskRunning.Within();
        a.Crash(new InvalidOperationException("first"));
        await logs.WaitForAsync(e => e.Message.StartsWith("Restarting dead A in 1.0 s (attempt 1)", StringComparison.Ordinal)).Within();
        await clock.WaitForArmedTimersAsync(1).Within();
        var start = a.HoldNextStart();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        await start.Entered.Within();

        // A crashes again while its restart is still in progress: the pass that B's crash wakes (it
        // logs B's wait) leaves A alone, and the end of A's restart must wake the supervisor again.
        a.Crash(new InvalidOperationException("again"));
        b.Crash(new InvalidOperationException("b failed"));
        await logs.WaitForAsync(e => e.Message.StartsWith("Restarting dead B in 1.0 s (attempt 1)", StringComparison.Ordinal)).Within();
        Assert.DoesNotContain(logs.Entries, e => e.Message.StartsWith("Restarting dead A in 1.0 s (attempt 2)", StringComparison.Ordinal));
        start.Release();

        await logs.WaitForAsync(e => e.Message == "Restarting dead A in 1.0 s (attempt 2). Last crash reason: InvalidOperationException(again)").Within();
        Assert.Equal(2, a.Starts);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task WaitBeforeRestart_WhenTheSupervisorCrashesDuringTheWait_ReturnsFalse()
    {
        var clock = new VirtualClock();
        var a = new Held("A");
        var logs = new CapturingLoggerFactory();
        var supervisor = new Probe("SUP", [a])
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            Backoff = new RestartBackoff(TimeSpan.FromSeconds(10), jitter: 0),
        };
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();

        var wait = supervisor.CallWaitBeforeRestartAsync(a);
        await logs.WaitForAsync(e => e.Message.StartsWith("Restarting dead A in 10.0 s (attempt 1)", StringComparison.Ordinal)).Within();
        await clock.WaitForArmedTimersAsync(1).Within();
        supervisor.Crash(new InvalidOperationException("supervisor failed")); // a crash alone does not end the sleep
        clock.AdvanceStepwise(TimeSpan.FromSeconds(10));

        Assert.False(await wait.Within());
        Assert.Equal(1, a.Starts);
        Assert.Equal(1, supervisor.TotalBackoffWaits);
        Assert.False(supervisor.TryGetRestartDue(a, out _));
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task WaitBeforeRestart_AfterTheFullDelay_ReturnsTrue()
    {
        var clock = new VirtualClock();
        var a = new Held("A");
        var logs = new CapturingLoggerFactory();
        var supervisor = new Probe("SUP", [a])
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            Backoff = new RestartBackoff(TimeSpan.FromSeconds(10), jitter: 0),
        };
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();

        var wait = supervisor.CallWaitBeforeRestartAsync(a);
        await logs.WaitForAsync(e => e.Message.StartsWith("Restarting dead A in 10.0 s (attempt 1)", StringComparison.Ordinal)).Within();
        await clock.WaitForArmedTimersAsync(1).Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(10));

        Assert.True(await wait.Within());
        Assert.Equal(ServiceState.Shutdown, a.State);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task StopServices_WhenOneFailsToStop_LogsItAndStopsTheRest()
    {
        var logs = new CapturingLoggerFactory();
        var recorder = new Recorder();
        var a = new RecordingService("A", recorder);
        var b = new RecordingService("B", recorder) { OnStop = _ => throw new InvalidOperationException("stuck socket") };
        var supervisor = new Probe("SUP", [a, b]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();

        await supervisor.CallStopServicesAsync([a, b]).Within();

        Assert.Equal(["B on_stop", "A on_stop"], recorder.Matching("on_stop"));
        var failure = Assert.Single(logs.Entries, e => e.Message == "Error while stopping B");
        Assert.Equal("stuck socket", failure.Exception!.Message);
        Assert.Equal(ServiceState.Shutdown, a.State);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task MaxRestarts_ARestartExactlyTheWindowAgo_NoLongerCounts()
    {
        var clock = new VirtualClock();
        var a = new StartCountingService("A");
        var supervisor = new OneForOneSupervisor([a], maxRestarts: 1, over: TimeSpan.FromSeconds(10)) { TimeProvider = clock };
        await supervisor.StartAsync().Within();

        a.Crash(new InvalidOperationException("first"));
        await a.StartedTimes(2).Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        a.Crash(new InvalidOperationException("second"));
        await a.StartedTimes(3).Within();

        Assert.False(supervisor.IsCrashed);
        Assert.Equal(2, supervisor.TotalRestarts);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public void DescribeReason_NamesTheExceptionTypeAndMessage()
    {
        Assert.Equal("InvalidOperationException(disk full)", SupervisorStrategy.DescribeReason(new InvalidOperationException("disk full")));
        Assert.Equal("None", SupervisorStrategy.DescribeReason(null));
    }

    [Fact]
    public void MaxRestartsExceededException_HasADefaultMessage()
    {
        Assert.Equal("Max restarts exceeded", new MaxRestartsExceededException().Message);
    }
}

/// <summary>
/// The <c>restart</c> span of a supervisor's replacement ends on every path. A listener is
/// process-wide, so these run in the tracing collection, alone.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class SupervisorReplacementSpanTests : IDisposable
{
    private readonly Channel<Activity> _restartSpans = Channel.CreateUnbounded<Activity>();
    private readonly ActivityListener _listener;

    public SupervisorReplacementSpanTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == ModeActivities.SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.DisplayName.StartsWith("restart span-", StringComparison.Ordinal))
                {
                    _restartSpans.Writer.TryWrite(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    private Task<Activity> NextRestartSpan() => _restartSpans.Reader.ReadAsync().AsTask().Within();

    [Fact]
    public async Task Replacement_WhoseFactoryFails_EndsItsRestartSpanWithTheError()
    {
        var a = new Held("span-a");
        var fresh = new Held("span-a2");
        var calls = 0;
        var supervisor = new OneForOneSupervisor(
            [a],
            replacement: (_, _) => Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("no replacement yet")
                : Task.FromResult<IService>(fresh));
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();

        a.Crash(new InvalidOperationException("a failed"));
        var failed = await NextRestartSpan();
        await fresh.TaskRunning.Within();
        var succeeded = await NextRestartSpan();

        Assert.Equal("restart span-a", failed.DisplayName);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("no replacement yet", failed.StatusDescription);
        Assert.Equal("restart span-a", succeeded.DisplayName);
        Assert.Equal(ActivityStatusCode.Unset, succeeded.Status);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task Replacement_WhenTheSupervisorStopsWhileTheFactoryRuns_EndsItsRestartSpanAndTakesNothingIn()
    {
        var a = new Held("span-b");
        var fresh = new Held("span-b2");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var supervisor = new OneForOneSupervisor(
            [a],
            replacement: async (_, _) =>
            {
                entered.TrySetResult();
                await release.Task;
                return (IService)fresh;
            });
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();

        a.Crash(new InvalidOperationException("a failed"));
        await entered.Task.Within();
        supervisor.Crash(new InvalidOperationException("supervisor failed")); // it should stop from now on
        release.TrySetResult();
        var span = await NextRestartSpan();

        Assert.Equal("restart span-b", span.DisplayName);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal([a], supervisor.Services);
        Assert.Equal(ServiceState.Init, fresh.State);
        await supervisor.StopAsync().Within();
    }
}
