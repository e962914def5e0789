using Microsoft.Extensions.Logging;
using Mode.Testing;

namespace Mode.Runtime.Tests.Testing;

/// <summary>Mode.Testing's harness: virtual time and idleness, runs, states, faults, hooks, logs, the bounded stop.</summary>
public sealed partial class ServiceHarnessTests
{
    [Fact]
    public async Task AdvanceAsync_TenSecondsOfOneSecondTimer_SeesExactlyTheTenTicksDueEvenWhenTheBodyHopsThreads()
    {
        var service = new Ticking();
        await using var harness = await ServiceHarness.StartAsync(service);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));

        // Each tick yields to the thread pool half-way: the harness still waits for it to finish.
        Assert.Equal(10, service.Ticks);
        Assert.Equal(10, service.Finished);
        Assert.Equal(VirtualClock.DefaultStart.AddSeconds(10), harness.Clock.GetUtcNow());

        await harness.AdvanceAsync(TimeSpan.FromSeconds(2.5));
        Assert.Equal(12, service.Finished);
    }

    [Fact]
    public async Task AdvanceAsync_TaskSleepingOnTheClock_HasRunItsNextStepWhenItReturns()
    {
        var service = new Sleepy();
        await using var harness = await ServiceHarness.StartAsync(service);
        Assert.Equal(0, service.Wakes);

        await harness.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1, service.Wakes);

        await harness.AdvanceAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(4, service.Wakes);
    }

    [Fact]
    public async Task RunTimerAsync_NamedTimer_RunsThatManyTicksOfItAndMovesTimeToEach()
    {
        var service = new Ticking();
        await using var harness = await ServiceHarness.StartAsync(service);

        await harness.RunTimerAsync("Ticking.Tick", 3);

        Assert.Equal(3, service.Finished);
        Assert.Equal(3, harness.RunsOf("Ticking.Tick"));
        Assert.Equal(VirtualClock.DefaultStart.AddSeconds(3), harness.Clock.GetUtcNow());
        var error = await Assert.ThrowsAsync<ArgumentException>(() => harness.RunTimerAsync("Ticking.Nope"));
        Assert.Contains("Known: Ticking.Tick", error.Message);
    }

    [Fact]
    public async Task RunCronJobAsync_NextOccurrence_RunsTheJobOnceAtItsTime()
    {
        var service = new Nightly();
        await using var harness = await ServiceHarness.StartAsync(service, start: new DateTimeOffset(2026, 3, 7, 12, 0, 0, TimeSpan.Zero));

        var ranAt = await harness.RunCronJobAsync("Nightly.Report");

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 2, 30, 0, TimeSpan.Zero), ranAt);
        Assert.Equal([ranAt], service.Runs);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 2, 30, 0, TimeSpan.Zero), await harness.RunCronJobAsync("Nightly.Report"));
    }

    [Fact]
    public async Task InjectFaultAsync_IntoTask_CrashesTheTree()
    {
        var app = new Parent(new Sleepy());
        await using var harness = await ServiceHarness.StartAsync(app);

        await harness.InjectFaultAsync("Sleepy.LoopAsync");

        var reason = await harness.WaitForCrashAsync();
        Assert.IsType<InjectedFaultException>(reason);
        Assert.Equal(ServiceState.Crashed, app.State);
        Assert.Contains(harness.Logs.Entries, e => e.Level == LogLevel.Error && e.ServiceLabel == "Sleepy" && e.Exception is InjectedFaultException);
    }

    [Fact]
    public async Task InjectFaultAsync_IntoTimerUnderSupervisor_IsRestartedTwice()
    {
        var ticking = new Ticking();
        var supervisor = new OneForOneSupervisor([ticking], maxRestarts: 10, over: TimeSpan.FromMinutes(1));
        await using var harness = await ServiceHarness.StartAsync(supervisor);

        await harness.InjectFaultAsync("Ticking.Tick", new InvalidOperationException("boom"));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        await harness.WaitForRestartsAsync(ticking, 1);
        await harness.InjectFaultAsync("Ticking.Tick");
        await harness.RunTimerAsync("Ticking.Tick");
        await harness.WaitForRestartsAsync(ticking, 2);

        Assert.Equal(2, supervisor.TotalRestarts);
        Assert.False(supervisor.IsCrashed);
    }

    [Fact]
    public async Task HookOrder_Tree_ChildrenStartInOrderAndStopInReverse()
    {
        var harness = await ServiceHarness.StartAsync(new Parent(new Child("A"), new Child("B")));
        await harness.DisposeAsync();

        Assert.Equal("Parent.OnStartAsync, A.OnStartAsync, B.OnStartAsync", harness.HookOrder("OnStartAsync"));
        Assert.Equal("Parent.OnStopAsync, B.OnStopAsync, A.OnStopAsync", harness.HookOrder("OnStopAsync"));
        Assert.Equal(ServiceState.Shutdown, harness.Service.State);
    }

    [Fact]
    public async Task WaitForStateAsync_NeverReached_FailsWithTheTree()
    {
        await using var harness = await ServiceHarness.StartAsync(new Parent(new Child("A")), timeout: TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => harness.WaitForStateAsync("A", ServiceState.Crashed));

        Assert.Contains("No service labelled A reached Crashed", error.Message);
        Assert.Contains("Parent [Running]", error.Message);
        Assert.Contains("  A [Running]", error.Message);
        Assert.Same(harness.Service.Beacon.Children[0].Data, await harness.WaitForStateAsync("A", ServiceState.Running));
        Assert.IsType<Child>(await harness.WaitForStateAsync<Child>(ServiceState.Running));
    }

    [Fact]
    public async Task DisposeAsync_StopThatHangs_ThrowsInsteadOfHanging()
    {
        var stuck = new StuckOnStop();
        var harness = await ServiceHarness.StartAsync(stuck, timeout: TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<TimeoutException>(async () => await harness.DisposeAsync());

        Assert.Contains("StuckOnStop did not stop", error.Message);
        Assert.Contains("hook=OnStopAsync", error.Message);
        stuck.Release.TrySetResult();
    }

    [Fact]
    public async Task Logs_EveryLine_CarriesLevelCategoryServiceLabelAndMessage()
    {
        await using var harness = await ServiceHarness.StartAsync(new Parent(new Child("A")));

        var line = Assert.Single(harness.Logs.Entries, static e => e.ServiceLabel == "A" && e.Message == "Starting...");
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(typeof(Child).FullName, line.Category);
    }

    public sealed partial class Ticking : Service
    {
        private int _ticks;
        private int _finished;

        public int Ticks => Volatile.Read(ref _ticks);

        public int Finished => Volatile.Read(ref _finished);

        [Timer(1)]
        private async Task Tick()
        {
            Interlocked.Increment(ref _ticks);
            await Task.Yield();
            await Task.Run(static () => { }).ConfigureAwait(false);
            Interlocked.Increment(ref _finished);
        }
    }

    public sealed partial class Sleepy : Service
    {
        private int _wakes;

        public int Wakes => Volatile.Read(ref _wakes);

        [Task]
        private async Task LoopAsync()
        {
            while (await SleepAsync(TimeSpan.FromMinutes(1)))
            {
                Interlocked.Increment(ref _wakes);
            }
        }
    }

    public sealed partial class Nightly : Service
    {
        public List<DateTimeOffset> Runs { get; } = [];

        [Crontab("30 2 * * *", Name = "Nightly.Report")]
        private void Report() => Runs.Add(TimeProvider.GetUtcNow());
    }

    public sealed class Parent(params IService[] children) : Service
    {
        protected override IEnumerable<IService> OnInitDependencies() => children;
    }

    public sealed class Child(string name) : Service
    {
        public override string Label => name;

        public override string ShortLabel => name;
    }

    public sealed class StuckOnStop : Service
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async ValueTask OnStopAsync(CancellationToken cancellationToken) => await Release.Task;
    }
}
