using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

/// <summary>
/// Pins down behaviour of <see cref="TimerSchedule"/> that mutation testing found untested: its own
/// tick count, the drift threshold's boundary, the drift line's level for sub-second intervals, and
/// a tick that runs exactly one interval (neither an overlap nor a skipped deadline).
/// </summary>
// Shares a collection with MetricsTests (as TimerTests does): timer ticks feed the 'Mode' meter.
[Collection("Metrics")]
public class TimerScheduleBehaviourTests
{
    private static async Task<T> Started<T>(VirtualClock clock, T service, CapturingLoggerFactory? logs = null)
        where T : Service
    {
        service.TimeProvider = clock;
        if (logs is not null)
        {
            service.LoggerFactory = logs;
        }

        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();
        return service;
    }

    private static bool IsDriftLine(LogEntry e) => e.Message.Contains("woke up too late", StringComparison.Ordinal);

    [Fact]
    public async Task Schedule_CountsEveryTickItRan()
    {
        var clock = new VirtualClock();
        var service = await Started(clock, new OneSecondTimer());

        for (var i = 0; i < 3; i++)
        {
            clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, service.Ticks);
        Assert.Equal(3, Assert.Single(service.Timers).Ticks);
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Drift_LatenessExactlyAtTheThreshold_CountsAsDrift()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        // One-second interval, drift correction 0.5 s: the threshold is max(min(0.3 s, 1.2 s), 0.5 s) = 0.5 s.
        var service = await Started(clock, new HalfSecondDriftCorrectionTimer(), logs);

        clock.Jump(TimeSpan.FromMilliseconds(1500)); // tick 1 woken exactly 0.5 s late
        clock.AdvanceStepwise(TimeSpan.Zero);

        var schedule = Assert.Single(service.Timers);
        Assert.Equal(1, schedule.Ticks);
        Assert.Equal(TimeSpan.FromMilliseconds(500), schedule.MaxLateness);
        Assert.Equal(1, schedule.Drifts);
        Assert.Contains(logs.Entries, IsDriftLine);
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Drift_LatenessUnderTheThreshold_IsNotDrift()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var service = await Started(clock, new HalfSecondDriftCorrectionTimer(), logs);

        clock.Jump(TimeSpan.FromMilliseconds(1499));
        clock.AdvanceStepwise(TimeSpan.Zero);

        var schedule = Assert.Single(service.Timers);
        Assert.Equal(1, schedule.Ticks);
        Assert.Equal(0, schedule.Drifts);
        Assert.DoesNotContain(logs.Entries, IsDriftLine);
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Drift_OfASubSecondTimer_IsLoggedAtDebug()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        // Half-second interval: threshold max(min(0.15 s, 1.2 s), 0.1 s) = 0.15 s.
        var service = await Started(clock, new HalfSecondTimer(), logs);

        clock.Jump(TimeSpan.FromMilliseconds(900)); // 0.4 s late
        clock.AdvanceStepwise(TimeSpan.Zero);

        Assert.Equal(1, Assert.Single(service.Timers).Drifts);
        var line = Assert.Single(logs.Entries, IsDriftLine);
        Assert.Equal(LogLevel.Debug, line.Level);
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Drift_OfAOneSecondTimer_IsLoggedAtInformation()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var service = await Started(clock, new OneSecondTimer(), logs);

        clock.Jump(TimeSpan.FromMilliseconds(1500));
        clock.AdvanceStepwise(TimeSpan.Zero);

        var line = Assert.Single(logs.Entries, IsDriftLine);
        Assert.Equal(LogLevel.Information, line.Level);
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Tick_RunningExactlyOneInterval_IsNoOverlapAndTheNextTickRunsOnItsDeadline()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var service = await Started(clock, new OneSecondTimer(), logs);
        var ticks = new List<DateTimeOffset>();
        var start = clock.GetUtcNow();
        service.Body = (_, _) =>
        {
            ticks.Add(clock.GetUtcNow());
            if (ticks.Count == 1)
            {
                clock.AdvanceStepwise(TimeSpan.FromSeconds(1)); // the body "takes" exactly one interval
            }

            return default;
        };

        clock.AdvanceStepwise(TimeSpan.FromSeconds(1)); // tick 1 at 1 s ends at 2 s, when tick 2 is due

        Assert.Equal([start.AddSeconds(1), start.AddSeconds(2)], ticks);
        var schedule = Assert.Single(service.Timers);
        Assert.Equal(0, schedule.Overlaps);
        Assert.Equal(0, schedule.SkippedTicks);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("is overlapping", StringComparison.Ordinal));
        await service.StopAsync().Within();
    }

    // Wiring is built once per type: one class per timer configuration.
    private sealed class HalfSecondDriftCorrectionTimer : Service
    {
        protected override void ConfigureWiring(ServiceWiring wiring)
        {
            base.ConfigureWiring(wiring);
            wiring.AddTimer("loose", 1, static (_, _) => default, maxDriftCorrectionSeconds: 0.5);
        }
    }

    private sealed class HalfSecondTimer : Service
    {
        protected override void ConfigureWiring(ServiceWiring wiring)
        {
            base.ConfigureWiring(wiring);
            wiring.AddTimer("half", 0.5, static (_, _) => default);
        }
    }
}
