using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

// Shares a collection with MetricsTests: a live MeterListener would make timer ticks record (and allocate).
[Collection("Metrics")]
public class TimerTests
{
    private static async Task<T> StartedTimer<T>(VirtualClock clock, T service, CapturingLoggerFactory? logs = null)
        where T : TimerService
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

    [Fact]
    public async Task Timer_FirstTickOneIntervalAfterStart()
    {
        var clock = new VirtualClock();
        var service = await StartedTimer(clock, new OneSecondTimer());

        clock.AdvanceStepwise(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, service.Ticks);
        clock.AdvanceStepwise(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, service.Ticks);

        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Timer_TenThousandTicks_EndOnTheExactDeadline()
    {
        var clock = new VirtualClock();
        var service = await StartedTimer(clock, new TenMillisecondTimer());
        var start = clock.GetUtcNow();
        DateTimeOffset lastTick = default;
        service.Body = (s, _) => { lastTick = clock.GetUtcNow(); return default; };

        for (var i = 0; i < 10_000; i++)
        {
            clock.AdvanceStepwise(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(10_000, service.Ticks);
        Assert.Equal(start + TimeSpan.FromSeconds(100), lastTick);
        var schedule = Assert.Single(service.Timers);
        Assert.Equal(0, schedule.Drifts);
        Assert.Equal(0, schedule.Overlaps);
        Assert.Equal(TimeSpan.Zero, schedule.MaxLateness);
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Timer_LateWakeUp_DoesNotShiftLaterDeadlines()
    {
        var clock = new VirtualClock();
        var service = await StartedTimer(clock, new OneSecondTimer());
        var ticks = new List<DateTimeOffset>();
        service.Body = (_, _) => { ticks.Add(clock.GetUtcNow()); return default; };
        var start = clock.GetUtcNow();

        // The timer thread is blocked for 1.4 s: tick 1 runs 0.4 s late; tick 2 is still due at start + 2 s.
        clock.Jump(TimeSpan.FromMilliseconds(1400));
        clock.AdvanceStepwise(TimeSpan.Zero);
        clock.AdvanceStepwise(TimeSpan.FromMilliseconds(600));

        Assert.Equal([start.AddMilliseconds(1400), start.AddSeconds(2)], ticks);
        Assert.Equal(TimeSpan.FromMilliseconds(400), service.Timers[0].MaxLateness);
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Timer_BodyOverruns_SkipsMissedTicksAndLogsOverlap()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var service = await StartedTimer(clock, new OneSecondTimer(), logs);
        var ticks = new List<DateTimeOffset>();
        var start = clock.GetUtcNow();
        service.Body = (_, _) =>
        {
            ticks.Add(clock.GetUtcNow());
            if (ticks.Count == 1)
            {
                clock.AdvanceStepwise(TimeSpan.FromMilliseconds(2500)); // the body "takes" 2.5 s
            }

            return default;
        };

        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1)); // now 4.5 s

        // Tick 1 at 1 s ran until 3.5 s: the ticks due at 2 s and 3 s are skipped, the next is at 4 s.
        Assert.Equal([start.AddSeconds(1), start.AddSeconds(4)], ticks);
        var schedule = service.Timers[0];
        Assert.Equal(1, schedule.Overlaps);
        Assert.Equal(2, schedule.SkippedTicks);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("is overlapping", StringComparison.Ordinal));
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Timer_WokenMuchTooLate_CountsAndLogsDrift()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var service = await StartedTimer(clock, new OneSecondTimer(), logs);

        clock.Jump(TimeSpan.FromMilliseconds(1500)); // woken 0.5 s late ≥ min(0.3 s, 1.2 s)
        clock.AdvanceStepwise(TimeSpan.Zero);

        Assert.Equal(1, service.Timers[0].Drifts);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("woke up too late", StringComparison.Ordinal));
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Timer_ExecFirst_RunsRightAtStartThenOnSchedule()
    {
        var clock = new VirtualClock();
        var service = new ExecFirstTimer { TimeProvider = clock };

        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();
        Assert.Equal(1, service.Ticks);
        clock.AdvanceStepwise(TimeSpan.FromSeconds(10));

        Assert.Equal(2, service.Ticks);
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Timer_Stop_EndsTheLoopWithoutAnotherTick()
    {
        var clock = new VirtualClock();
        var service = await StartedTimer(clock, new OneSecondTimer());
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await service.StopAsync().Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(5));

        Assert.Equal(1, service.Ticks);
        Assert.Empty(service.RunningTasks);
        Assert.Equal(0, clock.ArmedTimers);
    }

    [Fact]
    public async Task Timer_BodyThrows_CrashesTheService()
    {
        var clock = new VirtualClock();
        var service = await StartedTimer(clock, new OneSecondTimer());
        service.Body = (_, _) => throw new InvalidOperationException("tick failed");

        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        await service.WaitUntilStoppedAsync().Within();

        Assert.True(service.IsCrashed);
        Assert.Equal("tick failed", service.CrashReason!.Message);
    }

    [Fact]
    public async Task Timer_SteadyState_AllocatesNothingPerTick()
    {
        // FakeTimeProvider allocates a waiter (56 B) per ITimer.Change: measure what the clock alone
        // costs for the same calls (disarm and re-arm per tick, as the sleeper does) and expect the
        // timer to cost exactly that, i.e. the runtime nothing.
        var bare = new VirtualClock();
        ITimer? timer = null;
        timer = bare.CreateTimer(
            _ =>
            {
                timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            },
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);
        var clockOnly = AllocatedOverTicks(bare, 100, 1000);
        timer.Dispose();

        var clock = new VirtualClock();
        var service = await StartedTimer(clock, new OneSecondTimer());
        var allocated = AllocatedOverTicks(clock, 100, 1000); // warm up: the loop's state machine is boxed once

        Assert.Equal(1100, service.Ticks);
        Assert.Equal(clockOnly, allocated);
        await service.StopAsync().Within();

        static long AllocatedOverTicks(VirtualClock clock, int warmUp, int ticks)
        {
            for (var i = 0; i < warmUp; i++)
            {
                clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < ticks; i++)
            {
                clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    [Fact]
    public async Task AddTimer_NonPositiveOrNonFiniteInterval_FailsTheStart()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new ZeroTimer().StartAsync().Within());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new NaNTimer().StartAsync().Within());

        Assert.Contains("greater than zero", error.Message, StringComparison.Ordinal);
    }

    private sealed class ZeroTimer : Service
    {
        protected override void ConfigureWiring(ServiceWiring wiring) => wiring.AddTimer("bad", 0, static (_, _) => default);
    }

    private sealed class NaNTimer : Service
    {
        protected override void ConfigureWiring(ServiceWiring wiring) => wiring.AddTimer("bad", double.NaN, static (_, _) => default);
    }

    [Fact]
    public async Task IterTimerAsync_YieldsOncePerIntervalAndEndsOnStop()
    {
        var clock = new VirtualClock();
        var service = new RecordingService("S", new Recorder()) { TimeProvider = clock };
        await service.StartAsync().Within();
        var ticks = 0;
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var loop = Task.Run(async () =>
        {
            await foreach (var slept in service.IterTimerAsync(TimeSpan.FromSeconds(2)))
            {
                Assert.Equal(TimeSpan.FromSeconds(2), slept);
                if (++ticks == 3)
                {
                    third.TrySetResult();
                }
            }
        });
        for (var i = 0; i < 3; i++)
        {
            await clock.WaitForArmedTimersAsync().Within();
            clock.AdvanceStepwise(TimeSpan.FromSeconds(2));
        }

        await third.Task.Within();
        await service.StopAsync().Within();
        await loop.Within();
        Assert.Equal(3, ticks);
    }
}
