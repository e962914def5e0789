using System.Reflection;
using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;
using Held = Mode.Runtime.Tests.StopRestartRaceTests.Held;

namespace Mode.Runtime.Tests;

/// <summary>
/// What the built-in strategies log and do with the services they are handed (behaviour that
/// mutation testing found untested). The strategies are sealed, so their
/// <c>RestartServicesAsync</c> override is reached by reflection where a test hands it a list the
/// supervisor's own loop never builds (null, empty, or holding services that have not crashed).
/// </summary>
public class StrategyRestartPassTests
{
    private static Task RestartServicesAsync(SupervisorStrategy supervisor, IReadOnlyList<IService>? crashed)
    {
        var method = supervisor.GetType().GetMethod("RestartServicesAsync", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("RestartServicesAsync not found.");
        return (Task)method.Invoke(supervisor, [crashed, CancellationToken.None])!;
    }

    public static TheoryData<string> Strategies => new() { "one-for-one", "one-for-all", "forfeit-one-for-one", "forfeit-one-for-all" };

    private static SupervisorStrategy Create(string strategy, params IService[] services) => strategy switch
    {
        "one-for-one" => new OneForOneSupervisor(services),
        "one-for-all" => new OneForAllSupervisor(services),
        "forfeit-one-for-one" => new ForfeitOneForOneSupervisor(services),
        "forfeit-one-for-all" => new ForfeitOneForAllSupervisor(services),
        _ => throw new ArgumentOutOfRangeException(nameof(strategy)),
    };

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task RestartServices_WithoutAList_ThrowsArgumentNullExceptionForIt_AndStopsNothing(string strategy)
    {
        var a = new Held("A");
        var supervisor = Create(strategy, a);
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();

        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => RestartServicesAsync(supervisor, null).Within());

        Assert.Equal("crashed", ex.ParamName);
        Assert.Equal(ServiceState.Running, a.State);
        Assert.Equal(0, a.Stops);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task OneForAll_HandedNoCrashedService_StillStopsAndRestartsEveryService()
    {
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var b = new Held("B");
        var supervisor = new OneForAllSupervisor([a, b]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();
        await b.TaskRunning.Within();

        await RestartServicesAsync(supervisor, Array.Empty<IService>()).Within();

        await a.TaskRunning.Within();
        await b.TaskRunning.Within();
        Assert.Equal(2, a.Starts);
        Assert.Equal(2, b.Starts);
        Assert.Equal(2, supervisor.TotalRestarts);
        Assert.Contains(logs.Entries, e => e.Message == "Restarting dead A! Last crash reason: None");
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task ForfeitOneForOne_GivesUpOnTheServicesItIsHandedThatStillRun_ButNotOnOnesAlreadyShutDown()
    {
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var b = new Held("B");
        var c = new Held("C");
        var d = new Held("D");
        var supervisor = new ForfeitOneForOneSupervisor([a, b, c, d]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();
        foreach (var service in new[] { a, b, c, d })
        {
            await service.TaskRunning.Within();
        }

        await c.StopAsync().Within(); // shut down cleanly: nothing to give up on

        await RestartServicesAsync(supervisor, [b, c, d]).Within();

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Critical && e.Message == "Giving up on crashed services: B, D");
        Assert.All([b, d], s => Assert.Equal(ServiceState.Shutdown, s.State));
        Assert.Equal(0, b.LiveTasks + d.LiveTasks);
        Assert.Null(b.Supervisor);
        Assert.Null(d.Supervisor);
        Assert.Same(supervisor, c.Supervisor);
        Assert.Equal([a, c], supervisor.Services);
        Assert.Equal(ServiceState.Running, a.State);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task ForfeitOneForOne_ServicesThatCrashWhileItGivesUpOnAnother_AreGivenUpOnTogetherInOneLine()
    {
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var b = new Held("B");
        var c = new Held("C");
        var supervisor = new ForfeitOneForOneSupervisor([a, b, c]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();
        foreach (var service in new[] { a, b, c })
        {
            await service.TaskRunning.Within();
        }

        var stoppingC = c.HoldNextStop();
        c.Crash(new InvalidOperationException("c"));
        await stoppingC.Entered.Within(); // the supervisor is busy giving up on C
        a.Crash(new InvalidOperationException("a"));
        b.Crash(new InvalidOperationException("b"));
        stoppingC.Release();
        await logs.WaitForAsync(e => e.Level == LogLevel.Critical && e.Message != "Giving up on crashed services: C").Within();

        Assert.Equal(
            ["Giving up on crashed services: C", "Giving up on crashed services: A, B"],
            logs.Entries.Where(static e => e.Level == LogLevel.Critical).Select(static e => e.Message));
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task ForfeitOneForAll_NamesEveryServiceItIsHanded_AndStopsAndDropsThemAll()
    {
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var b = new Held("B");
        var c = new Held("C");
        var supervisor = new ForfeitOneForAllSupervisor([a, b, c]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();
        foreach (var service in new[] { a, b, c })
        {
            await service.TaskRunning.Within();
        }

        await RestartServicesAsync(supervisor, [a, b]).Within();

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Critical && e.Message == "Giving up on crashed services: A, B");
        Assert.All([a, b, c], s => Assert.Equal(ServiceState.Shutdown, s.State));
        Assert.Empty(supervisor.Services);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task ForfeitOneForOne_Crash_NamesTheCrashedServiceInTheCriticalLine()
    {
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var b = new Held("B");
        var supervisor = new ForfeitOneForOneSupervisor([a, b]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();
        await b.TaskRunning.Within();

        a.Crash(new InvalidOperationException("x"));
        var line = await logs.WaitForAsync(e => e.Level == LogLevel.Critical).Within();

        Assert.Equal("Giving up on crashed services: A", line.Message);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task ForfeitOneForAll_Crash_NamesOnlyTheCrashedServiceInTheCriticalLine_BeforeStoppingThemAll()
    {
        var logs = new CapturingLoggerFactory();
        var recorder = new Recorder();
        var a = new RecordingService("A", recorder);
        var b = new RecordingService("B", recorder);
        var supervisor = new ForfeitOneForAllSupervisor([a, b]) { LoggerFactory = logs };
        await supervisor.StartAsync().Within();
        var bStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.OnShutdown = _ =>
        {
            bStopped.TrySetResult();
            return default;
        };

        a.Crash(new InvalidOperationException("x"));
        await bStopped.Task.Within();

        var critical = Assert.Single(logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Equal("Giving up on crashed services: A", critical.Message);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task OneForOne_WhileAServiceWaitsForItsBackoff_ItsRestartIsListedAmongTheSupervisorsRunningTasks()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var b = new Held("B");
        var supervisor = new OneForOneSupervisor([a, b])
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            Backoff = new RestartBackoff(TimeSpan.FromSeconds(5), jitter: 0),
        };
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();
        await b.TaskRunning.Within();

        a.Crash(new InvalidOperationException("a"));
        await logs.WaitForAsync(static e => e.Message.StartsWith("Restarting dead A in 5.0 s", StringComparison.Ordinal)).Within();

        // B's wait begins on the supervisor's next pass, so the pass that set off A's wait has ended.
        b.Crash(new InvalidOperationException("b"));
        await logs.WaitForAsync(static e => e.Message.StartsWith("Restarting dead B in 5.0 s", StringComparison.Ordinal)).Within();
        await clock.WaitForArmedTimersAsync(2).Within();

        Assert.Contains("restart A", supervisor.RunningTasks);
        await supervisor.StopAsync().Within(); // ends both waits
        Assert.Equal(1, a.Starts);
    }
}
