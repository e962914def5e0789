using Mode.Testing;
using Xunit.Abstractions;
using Held = Mode.Runtime.Tests.StopRestartRaceTests.Held;

namespace Mode.Runtime.Tests;

/// <summary>Supervisor restart backoff, driven by a manual clock.</summary>
public class RestartBackoffTests(ITestOutputHelper output)
{
    public static TheoryData<string> Strategies => new() { "one-for-one", "one-for-all" };

    private static SupervisorStrategy Supervisor(string strategy, IService service, int maxRestarts = 100, TimeSpan? over = null) => strategy switch
    {
        "one-for-one" => new OneForOneSupervisor([service], maxRestarts, over),
        "one-for-all" => new OneForAllSupervisor([service], maxRestarts, over),
        _ => throw new ArgumentOutOfRangeException(nameof(strategy)),
    };

    private static bool IsBackoffLine(LogEntry entry) => entry.Message.StartsWith("Restarting dead A in ", StringComparison.Ordinal);

    /// <summary>
    /// Crashes <paramref name="a"/> and returns the delay the supervisor waits, once it waits: its
    /// <paramref name="wait"/>-th backoff line was logged (after the service's stop) and its sleep is armed.
    /// </summary>
    private static async Task<TimeSpan> CrashAndGetDelayAsync(SupervisorStrategy supervisor, Held a, VirtualClock clock, CapturingLoggerFactory logs, int wait, int armed = 1)
    {
        a.Crash(new InvalidOperationException("database is down"));
        await logs.WaitForAsync(e => IsBackoffLine(e) && logs.Entries.Count(IsBackoffLine) >= wait).Within();
        await clock.WaitForArmedTimersAsync(armed).Within();
        Assert.True(supervisor.TryGetRestartDue(a, out var due));
        return due - clock.GetUtcNow();
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Backoff_WaitsLongerAfterEachCrash_UpToTheMaximum(string strategy)
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var supervisor = Supervisor(strategy, a);
        supervisor.TimeProvider = clock;
        supervisor.LoggerFactory = logs;
        supervisor.Backoff = new RestartBackoff(TimeSpan.FromSeconds(1), factor: 2, maximum: TimeSpan.FromSeconds(8), jitter: 0, resetAfter: TimeSpan.FromMinutes(1));
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();

        var observed = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var delay = await CrashAndGetDelayAsync(supervisor, a, clock, logs, attempt);
            observed.Add(delay);

            // While it waits, the service is stopped: its task has ended and it is not restarted early.
            Assert.Equal(0, a.LiveTasks);
            Assert.Empty(a.RunningTasks);
            clock.AdvanceStepwise(delay - TimeSpan.FromMilliseconds(1));
            Assert.Equal(attempt, a.Starts);
            Assert.Equal(1, clock.ArmedTimers);
            clock.AdvanceStepwise(TimeSpan.FromMilliseconds(1));
            await a.TaskRunning.Within();
            Assert.Equal(attempt + 1, a.Starts);
            Assert.Equal(ServiceState.Running, a.State);
        }

        output.WriteLine($"{strategy}: " + string.Join(", ", observed.Select((d, i) => $"attempt {i + 1}: {d.TotalSeconds:0.0} s")));
        Assert.Equal([1, 2, 4, 8, 8], observed.Select(static d => d.TotalSeconds));
        Assert.Contains(logs.Entries, e => e.Message == "Restarting dead A in 4.0 s (attempt 3). Last crash reason: InvalidOperationException(database is down)");
        Assert.Equal(5, supervisor.TotalBackoffWaits);
        Assert.Equal(5, supervisor.TotalRestarts);
        await supervisor.StopAsync().Within();
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Backoff_AfterResetAfterOfUptime_StartsAgainAtTheFirstDelay(string strategy)
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var supervisor = Supervisor(strategy, a);
        supervisor.TimeProvider = clock;
        supervisor.LoggerFactory = logs;
        supervisor.Backoff = new RestartBackoff(TimeSpan.FromSeconds(1), factor: 3, jitter: 0, resetAfter: TimeSpan.FromSeconds(30));
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();

        var first = await CrashAndGetDelayAsync(supervisor, a, clock, logs, 1);
        clock.AdvanceStepwise(first);
        await a.TaskRunning.Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(29)); // up for less than ResetAfter: the next delay grows
        var second = await CrashAndGetDelayAsync(supervisor, a, clock, logs, 2);
        clock.AdvanceStepwise(second);
        await a.TaskRunning.Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(30)); // up for ResetAfter: back to the first delay
        var third = await CrashAndGetDelayAsync(supervisor, a, clock, logs, 3);

        Assert.Equal([1, 3, 1], new[] { first, second, third }.Select(static d => d.TotalSeconds));
        await supervisor.StopAsync().Within();
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Stop_DuringABackoffWait_EndsItAtOnceAndRestartsNothing(string strategy)
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var supervisor = Supervisor(strategy, a);
        supervisor.TimeProvider = clock;
        supervisor.LoggerFactory = logs;
        supervisor.Backoff = new RestartBackoff(TimeSpan.FromMinutes(10), maximum: TimeSpan.FromHours(1), jitter: 0);
        var root = new Mode.Runtime.Tests.Support.RecordingService("ROOT", new Mode.Runtime.Tests.Support.Recorder(), supervisor) { TimeProvider = clock };
        await root.StartAsync().Within();
        await a.TaskRunning.Within();
        await CrashAndGetDelayAsync(supervisor, a, clock, logs, 1);

        await root.StopAsync().Within(); // the clock never moves: only the stop can end the wait

        clock.AdvanceStepwise(TimeSpan.FromHours(1));
        Assert.Equal(ServiceState.Shutdown, supervisor.State);
        Assert.False(supervisor.TryGetRestartDue(a, out _));
        Assert.Equal(1, a.Starts);
        Assert.Equal(0, a.LiveTasks);
        Assert.Equal(0, supervisor.TotalRestarts);
        Assert.Equal(0, clock.ArmedTimers);
    }

    [Fact]
    public async Task MaxRestarts_CountsActualRestartsNotCrashes()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        // One restart within any 10 s; the backoff (20 s) spaces the restarts further apart than that.
        var supervisor = new OneForOneSupervisor([a], maxRestarts: 1, over: TimeSpan.FromSeconds(10))
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            Backoff = new RestartBackoff(TimeSpan.FromSeconds(20), factor: 1, jitter: 0),
        };
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();

        for (var i = 0; i < 3; i++)
        {
            var delay = await CrashAndGetDelayAsync(supervisor, a, clock, logs, i + 1);
            clock.AdvanceStepwise(delay);
            await a.TaskRunning.Within();
        }

        Assert.False(supervisor.IsCrashed);
        Assert.Equal(3, supervisor.TotalRestarts);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task OneForOne_OneServicesLongWait_DoesNotHoldUpAnothersRestart()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var a = new Held("A");
        var b = new Held("B");
        var supervisor = new OneForOneSupervisor([a, b])
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            Backoff = new RestartBackoff(TimeSpan.FromSeconds(1), factor: 100, maximum: TimeSpan.FromHours(1), jitter: 0),
        };
        await supervisor.StartAsync().Within();
        await a.TaskRunning.Within();
        await b.TaskRunning.Within();
        var first = await CrashAndGetDelayAsync(supervisor, a, clock, logs, 1);
        clock.AdvanceStepwise(first);
        await a.TaskRunning.Within();
        await CrashAndGetDelayAsync(supervisor, a, clock, logs, 2); // A now waits 100 s

        b.Crash(new InvalidOperationException("b"));
        await logs.WaitForAsync(e => e.Message.StartsWith("Restarting dead B in 1.0 s", StringComparison.Ordinal)).Within();
        await clock.WaitForArmedTimersAsync(2).Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        await b.TaskRunning.Within();

        Assert.Equal(2, b.Starts);
        Assert.Equal(2, a.Starts);
        Assert.True(supervisor.TryGetRestartDue(a, out _));
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public void DelayFor_WithJitter_IsRepeatableWithASeededRandomAndStaysWithinItsSpread()
    {
        RestartBackoff Backoff() => new(TimeSpan.FromSeconds(1), factor: 2, maximum: TimeSpan.FromSeconds(30), jitter: 0.25, random: new Random(42));
        var one = Backoff();
        var two = Backoff();

        var first = Enumerable.Range(1, 8).Select(one.DelayFor).ToArray();
        var second = Enumerable.Range(1, 8).Select(two.DelayFor).ToArray();

        output.WriteLine(string.Join(", ", first.Select(static d => $"{d.TotalSeconds:0.000} s")));
        Assert.Equal(first, second);
        for (var i = 0; i < first.Length; i++)
        {
            var nominal = Math.Min(Math.Pow(2, i), 30);
            Assert.InRange(first[i].TotalSeconds, nominal * 0.75, Math.Min(nominal * 1.25, 30));
        }

        Assert.Contains(first, d => d.TotalSeconds != Math.Min(Math.Pow(2, Array.IndexOf(first, d)), 30));
    }

    [Fact]
    public void Constructor_RejectsBadValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.FromSeconds(1), factor: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.FromSeconds(1), jitter: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.FromSeconds(2), maximum: TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Backoff_CannotChangeAfterTheSupervisorStarted()
    {
        var supervisor = new OneForOneSupervisor();
        await supervisor.StartAsync().Within();

        Assert.Throws<InvalidOperationException>(() => supervisor.Backoff = new RestartBackoff(TimeSpan.FromSeconds(1)));
        await supervisor.StopAsync().Within();
    }
}
