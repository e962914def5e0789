using Mode.Background;
using Mode.TestKit;

namespace Mode.Runtime.Tests.Generated;

/// <summary>
/// End to end: services wired by the real generator (this project references it as an analyzer)
/// start, run their tasks and timers, and start and stop their dependencies in the documented order.
/// </summary>
public sealed class GeneratedWiringTests
{
    [Fact]
    public void ConfigureWiring_AllFourAttributes_RegistersEverythingBaseFirst()
    {
        var service = new WiredCronService(new EventLog(), new ManualTimeProvider());

        var wiring = ServiceWiring.For(service);

        Assert.Equal(["_zeta", "Alpha"], wiring.Dependencies.Select(static d => d.Name));
        Assert.Equal(
            [
                ("task", "WiredService.LoopAsync"),
                ("timer", "wired.fast"),
                ("timer", "WiredService.Tick"),
                ("cron", "WiredCronService.Report"),
            ],
            wiring.Work.Select(static w => (w switch { TaskWork => "task", TimerWork => "timer", CronWork => "cron", _ => "?" }, w.Name)));

        var tick = (TimerWork)wiring.Work.Single(static w => w.Name == "WiredService.Tick");
        Assert.Equal(TimeSpan.FromSeconds(10), tick.Interval);
        Assert.False(tick.ExecFirst);
        Assert.Equal(TimeSpan.FromSeconds(0.1), tick.MaxDriftCorrection);

        var fast = (TimerWork)wiring.Work.Single(static w => w.Name == "wired.fast");
        Assert.Equal(TimeSpan.FromSeconds(1000), fast.Interval);
        Assert.True(fast.ExecFirst);

        var cron = wiring.Work.OfType<CronWork>().Single();
        Assert.Equal("* * * * *", cron.Expression);
        Assert.Equal("UTC", cron.TimeZone);

        Assert.Same(service.Alpha, wiring.Dependencies[1].Getter(service));
    }

    [Fact]
    public void ConfigureWiring_CrontabIncludeSeconds_PassesItOnAndParsesSixFields()
    {
        var wiring = ServiceWiring.For(new WiredSecondsCronService());

        var jobs = wiring.Work.OfType<CronWork>().ToDictionary(static w => w.Name);
        Assert.True(jobs["WiredSecondsCronService.Poll"].IncludeSeconds);
        Assert.False(jobs["WiredSecondsCronService.CloseTheMonth"].IncludeSeconds);
        var poll = jobs["WiredSecondsCronService.Poll"].ParseSchedule();
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero);
        Assert.Equal(from.AddSeconds(29), poll.NextOccurrenceAfter(from));
    }

    [Fact]
    public async Task StartStop_GeneratedService_RunsWorkAndChildrenInDocumentedOrder()
    {
        var log = new EventLog();
        var clock = new ManualTimeProvider();
        var service = new WiredService(log, clock);

        await service.StartAsync().Within();
        await service.TaskStarted.Task.Within();
        await service.FastRan.Task.Within();

        // [DependsOn] members become children in declaration order (not ordinal order).
        Assert.Equal(["zeta", "alpha"], service.Children.Cast<RecordingChild>().Select(static c => c.Name));
        Assert.Same(clock, ((Service)service.Children[0]).TimeProvider);

        // Both timers sleep on the manual clock; drive the 10 s one twice.
        await clock.WaitForArmedTimersAsync(2).Within();
        Assert.Equal(0, service.TickCount);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(10), await service.Ticks[0].Task.Within());
        await clock.WaitForArmedTimersAsync(2).Within();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(20), await service.Ticks[1].Task.Within());
        Assert.Equal(1, service.FastRuns);

        await service.StopAsync().Within();

        var events = log.Snapshot();
        string[] lifecycle =
        [
            "parent:OnStart", "zeta:OnStart", "alpha:OnStart", "parent:OnStarted",
            "parent:OnStop", "alpha:OnStop", "zeta:OnStop", "parent:OnShutdown",
        ];
        Assert.Equal(lifecycle, events.Where(lifecycle.Contains));

        // The task began after OnStartAsync and was cancelled (and awaited) before OnShutdownAsync.
        Assert.True(events.IndexOf("task:start") > events.IndexOf("parent:OnStart"));
        Assert.True(events.IndexOf("task:cancelled") > events.IndexOf("parent:OnStop"));
        Assert.True(events.IndexOf("task:cancelled") < events.IndexOf("parent:OnShutdown"));
        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Equal(2, service.TickCount);
    }

    [Fact]
    public async Task StartStop_GeneratedCronJob_RunsOnSchedule()
    {
        var log = new EventLog();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var service = new WiredCronService(log, clock);

        await service.StartAsync().Within();
        await service.TaskStarted.Task.Within();
        await service.FastRan.Task.Within();

        // The 10 s timer, the exec-first timer and the cron job (due at 00:01) all sleep.
        await clock.WaitForArmedTimersAsync(3).Within();
        clock.Advance(TimeSpan.FromMinutes(1));
        await service.CronRan.Task.Within();
        await service.StopAsync().Within();

        Assert.Single(log.Snapshot(), static e => e == "cron:Report");
        Assert.False(service.IsCrashed);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }
}

public class GeneratedErrorPolicyTests
{
    [Fact]
    public async Task Timer_OnErrorLogAndContinue_FromTheAttribute_KeepsTicking()
    {
        var clock = new ManualTimeProvider();
        var service = new ForgivingGeneratedTimer { TimeProvider = clock };
        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();

        clock.Advance(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, service.Ticks);
        Assert.False(service.IsCrashed);
        Assert.Equal(1, service.BackgroundErrors);
        await service.StopAsync().Within();
    }
}
