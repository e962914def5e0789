using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class SleepAndWaitTests
{
    private static async Task<RecordingService> Started(VirtualClock clock)
    {
        var service = new RecordingService("S", new Recorder()) { TimeProvider = clock };
        await service.StartAsync().Within();
        return service;
    }

    [Fact]
    public async Task SleepAsync_FullDelay_ReturnsTrueExactlyAtTheDeadline()
    {
        var clock = new VirtualClock();
        var service = await Started(clock);

        var sleep = service.SleepAsync(TimeSpan.FromSeconds(10)).AsTask();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(9.999));
        Assert.False(sleep.IsCompleted);
        clock.AdvanceStepwise(TimeSpan.FromMilliseconds(1));

        Assert.True(await sleep.Within());
    }

    [Fact]
    public async Task SleepAsync_ServiceStops_ReturnsFalseWithoutThrowing()
    {
        var clock = new VirtualClock();
        var service = await Started(clock);
        var sleep = service.SleepAsync(TimeSpan.FromHours(1)).AsTask();

        await service.StopAsync().Within();

        Assert.False(await sleep.Within());
    }

    [Fact]
    public async Task SleepAsync_AlreadyStopping_ReturnsFalseAtOnce()
    {
        var clock = new VirtualClock();
        var service = await Started(clock);
        await service.StopAsync().Within();

        var sleep = service.SleepAsync(TimeSpan.FromHours(1));

        Assert.True(sleep.IsCompleted);
        Assert.False(await sleep);
    }

    [Fact]
    public async Task SleepAsync_ZeroDelay_ReturnsTrueAtOnce()
    {
        var service = await Started(new VirtualClock());

        var sleep = service.SleepAsync(TimeSpan.Zero);

        Assert.True(sleep.IsCompleted);
        Assert.True(await sleep);
    }

    [Fact]
    public async Task SleepAsync_CallerTokenCancelled_ThrowsOperationCanceled()
    {
        var service = await Started(new VirtualClock());
        using var cts = new CancellationTokenSource();
        var sleep = service.SleepAsync(TimeSpan.FromHours(1), cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sleep.Within());
    }

    [Fact]
    public async Task SleepAsync_ManySequentialSleeps_ReuseOneSleeper()
    {
        var clock = new VirtualClock();
        var service = await Started(clock);

        for (var i = 0; i < 100; i++)
        {
            var sleep = service.SleepAsync(TimeSpan.FromSeconds(1));
            clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
            Assert.True(await sleep);
        }

        Assert.Equal(0, clock.ArmedTimers);
    }

    [Fact]
    public async Task SleepAsync_ConcurrentSleeps_EachWakesOnItsOwnDeadline()
    {
        var clock = new VirtualClock();
        var service = await Started(clock);

        var shortSleep = service.SleepAsync(TimeSpan.FromSeconds(1)).AsTask();
        var longSleep = service.SleepAsync(TimeSpan.FromSeconds(2)).AsTask();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));

        Assert.True(await shortSleep.Within());
        Assert.False(longSleep.IsCompleted);
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        Assert.True(await longSleep.Within());
    }

    [Fact]
    public async Task WaitAsync_TaskCompletes_ReturnsCompleted()
    {
        var service = await Started(new VirtualClock());
        var work = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var wait = service.WaitAsync(work.Task, TimeSpan.FromSeconds(5));
        work.SetResult(42);
        var result = await wait.Within();

        Assert.True(result.Completed);
        Assert.Equal(42, result.Result);
    }

    [Fact]
    public async Task WaitAsync_Timeout_ReportsTimedOutNotStopped()
    {
        var clock = new VirtualClock();
        var service = await Started(clock);
        var never = new TaskCompletionSource();

        var wait = service.WaitAsync(never.Task, TimeSpan.FromSeconds(5));
        await clock.WaitForArmedTimersAsync().Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(5));
        var result = await wait.Within();

        Assert.True(result.TimedOut);
        Assert.False(result.Stopped);
        Assert.Equal(WaitOutcome.TimedOut, result.Outcome);
    }

    [Fact]
    public async Task WaitAsync_ServiceStops_ReportsStopped()
    {
        var service = await Started(new VirtualClock());
        var never = new TaskCompletionSource();

        var wait = service.WaitAsync(never.Task, TimeSpan.FromSeconds(5));
        await service.StopAsync().Within();

        Assert.True((await wait.Within()).Stopped);
    }

    [Fact]
    public async Task WaitAsync_ServiceCrashes_ReportsStopped()
    {
        var service = await Started(new VirtualClock());
        var never = new TaskCompletionSource();

        var wait = service.WaitAsync(never.Task);
        service.Crash(new InvalidOperationException("x"));

        Assert.True((await wait.Within()).Stopped);
    }

    [Fact]
    public async Task WaitAsync_TaskFails_PropagatesItsException()
    {
        var service = await Started(new VirtualClock());

        await Assert.ThrowsAsync<FormatException>(() => service.WaitAsync(Task.FromException(new FormatException())).Within());
    }

    [Fact]
    public async Task WaitAsync_CallerTokenCancelled_Throws()
    {
        var service = await Started(new VirtualClock());
        using var cts = new CancellationTokenSource();
        var never = new TaskCompletionSource();

        var wait = service.WaitAsync(never.Task, null, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.Within());
    }

    [Fact]
    public async Task WaitFirstAsync_ReturnsTheCompletedTasks()
    {
        var service = await Started(new VirtualClock());
        var a = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var b = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var wait = service.WaitFirstAsync([a.Task, b.Task]);
        b.SetResult();
        var result = await wait.Within();

        Assert.Equal(WaitOutcome.Completed, result.Outcome);
        Assert.Equal([b.Task], result.Done);
    }

    [Fact]
    public async Task WaitManyAsync_WaitsForAllOrStop()
    {
        var service = await Started(new VirtualClock());
        var a = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var b = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var wait = service.WaitManyAsync([a.Task, b.Task]);
        a.SetResult();
        Assert.False(wait.IsCompleted);
        b.SetResult();
        Assert.True((await wait.Within()).Completed);

        var c = new TaskCompletionSource();
        var stopped = service.WaitManyAsync([c.Task]);
        await service.StopAsync().Within();
        Assert.True((await stopped.Within()).Stopped);
    }

    [Fact]
    public async Task WaitUntilStoppedAsync_CompletesWhenTheStopBegins()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new RecordingService("S", new Recorder()) { OnShutdown = async _ => await release.Task };
        await service.StartAsync().Within();
        var waiting = service.WaitUntilStoppedAsync();
        Assert.False(waiting.IsCompleted);

        var stop = service.StopAsync();
        await waiting.Within();
        Assert.False(stop.IsCompleted);

        release.SetResult();
        await stop.Within();
    }
}

public class LongSleepTests
{
    [Fact]
    public async Task SleepAsync_LongerThanATimerCanBeArmed_WakesAtTheDeadline()
    {
        var clock = new VirtualClock();
        var service = new RecordingService("S", new Recorder()) { TimeProvider = clock };
        await service.StartAsync().Within();

        var sleep = service.SleepAsync(TimeSpan.FromDays(100)).AsTask();
        clock.AdvanceStepwise(TimeSpan.FromDays(99.5));
        Assert.False(sleep.IsCompleted);
        clock.AdvanceStepwise(TimeSpan.FromDays(0.5));

        Assert.True(await sleep.Within());
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(100), clock.GetUtcNow());
    }
}

/// <summary>
/// A system timer counts whole milliseconds and may fire up to one early: the sleeper takes such a
/// wake-up as the deadline, and sleeps again only for a remainder the timer could not have meant.
/// </summary>
public class SleeperTimerResolutionTests
{
    [Fact]
    public async Task SleepAsync_TimerFiresUnderOneMillisecondEarly_CompletesWithoutRearming()
    {
        var (clock, service) = await StartedAsync();

        var sleep = service.SleepAsync(TimeSpan.FromMilliseconds(10)).AsTask();
        var timer = clock.Timers.Single();
        Assert.Equal([TimeSpan.FromMilliseconds(10)], timer.DueTimes);

        clock.Now += TimeSpan.FromMilliseconds(9.5);
        timer.Fire();

        Assert.True(await sleep.Within());
        Assert.DoesNotContain(timer.DueTimes.Skip(1), static due => due != Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public async Task SleepAsync_TimerFiresEarlierThanItsResolution_SleepsTheRemainder()
    {
        var (clock, service) = await StartedAsync();

        var sleep = service.SleepAsync(TimeSpan.FromMilliseconds(10)).AsTask();
        var timer = clock.Timers.Single();

        clock.Now += TimeSpan.FromMilliseconds(7);
        timer.Fire();

        Assert.False(sleep.IsCompleted);
        Assert.Equal(TimeSpan.FromMilliseconds(3), timer.DueTimes[^1]);
        clock.Now += TimeSpan.FromMilliseconds(3);
        timer.Fire();
        Assert.True(await sleep.Within());
    }

    private static async Task<(HandFiredTimeProvider Clock, RecordingService Service)> StartedAsync()
    {
        var clock = new HandFiredTimeProvider();
        var service = new RecordingService("S", new Recorder()) { TimeProvider = clock };
        await service.StartAsync().Within();
        return (clock, service);
    }

    /// <summary>A clock moved by hand whose timers fire only when the test says so, early or not.</summary>
    private sealed class HandFiredTimeProvider : TimeProvider
    {
        public TimeSpan Now { get; set; }

        public List<HandFiredTimer> Timers { get; } = [];

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now.Ticks;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new HandFiredTimer(callback, state);
            Timers.Add(timer);
            return timer;
        }
    }

    private sealed class HandFiredTimer(TimerCallback callback, object? state) : ITimer
    {
        public List<TimeSpan> DueTimes { get; } = [];

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueTimes.Add(dueTime);
            return true;
        }

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => default;
    }
}
