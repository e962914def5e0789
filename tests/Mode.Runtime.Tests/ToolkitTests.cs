using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class ErrorPolicyTests
{
    private sealed class ForgivingTimer : Service
    {
        public int Ticks;

        protected override void ConfigureWiring(ServiceWiring wiring) =>
            wiring.AddTimer("ForgivingTimer.Tick", 1, static (s, _) =>
            {
                var self = (ForgivingTimer)s;
                if (Interlocked.Increment(ref self.Ticks) % 2 == 1)
                {
                    throw new InvalidOperationException("odd tick");
                }

                return default;
            }, onError: BackgroundErrorPolicy.LogAndContinue);
    }

    private sealed class ForgivingTask : Service
    {
        protected override void ConfigureWiring(ServiceWiring wiring) =>
            wiring.AddTask("ForgivingTask.Run", static (_, _) => throw new FormatException("bad input"), BackgroundErrorPolicy.LogAndContinue);
    }

    [Fact]
    public async Task Timer_LogAndContinue_KeepsTheScheduleAndCountsErrors()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var service = new ForgivingTimer { TimeProvider = clock, LoggerFactory = logs };
        await service.StartAsync().Within();
        await clock.WaitForArmedTimersAsync().Within();

        for (var i = 0; i < 4; i++)
        {
            clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(4, service.Ticks);
        Assert.False(service.IsCrashed);
        Assert.Equal(2, service.BackgroundErrors);
        Assert.Equal(2, logs.Entries.Count(e => e.Level == LogLevel.Error && e.Message == "Timer ForgivingTimer.Tick failed; the schedule continues"));
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task Task_LogAndContinue_EndsTheTaskWithoutCrashing()
    {
        var logs = new CapturingLoggerFactory();
        var service = new ForgivingTask { LoggerFactory = logs };

        await service.StartAsync().Within();
        var entry = await logs.WaitForAsync(e => e.Level == LogLevel.Error).Within();

        Assert.IsType<FormatException>(entry.Exception);
        Assert.False(service.IsCrashed);
        Assert.Equal(1, service.BackgroundErrors);
        await service.StopAsync().Within();
    }

    [Fact]
    public void Attributes_DefaultToTheKindsDefaultPolicy()
    {
        Assert.Equal(BackgroundErrorPolicy.Default, new TaskAttribute().OnError);
        Assert.Equal(BackgroundErrorPolicy.Default, new TimerAttribute(1).OnError);
        Assert.Equal(BackgroundErrorPolicy.Default, new CrontabAttribute("* * * * *").OnError);
    }
}

public class AwaitableServiceTests
{
    [Fact]
    public async Task FromAwaitable_TaskCompletes_ServiceStopsItself()
    {
        var work = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = Service.FromAwaitable(work.Task, "fetch");
        await service.StartAsync().Within();
        Assert.Equal(ServiceState.Running, service.State);
        Assert.Equal("fetch", service.Label);

        work.SetResult();
        await service.WaitUntilStoppedAsync().Within();
        await service.StopAsync().Within();

        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.False(service.IsCrashed);
    }

    [Fact]
    public async Task FromAwaitable_TaskFails_ServiceCrashes()
    {
        var service = Service.FromAwaitable(Task.FromException(new TimeoutException("gone")), "fetch");

        await service.StartAsync().Within();
        await service.WaitUntilStoppedAsync().Within();

        Assert.True(service.IsCrashed);
        Assert.IsType<TimeoutException>(service.CrashReason);
    }

    [Fact]
    public async Task FromAwaitable_TaskThatNeverCompletes_StopDoesNotWaitForIt()
    {
        // A Task from outside cannot be cancelled: Mode cancels the coroutine and returns at once, so
        // the service stops waiting for it. On a clock that never moves, a stop that waited for
        // ShutdownTimeout would never return.
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = (Service)Service.FromAwaitable(never.Task, "forever");
        service.TimeProvider = clock;
        service.LoggerFactory = logs;
        await service.StartAsync().Within();

        await service.StopAsync().Within();

        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.False(service.IsCrashed);
        Assert.Empty(service.RunningTasks);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
        // The task itself is untouched: whoever made it still owns it.
        Assert.False(never.Task.IsCompleted);
    }

    [Fact]
    public async Task FromAwaitable_TaskFailingAfterTheStop_DoesNotCrashTheStoppedService()
    {
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = (Service)Service.FromAwaitable(later.Task, "late");
        await service.StartAsync().Within();
        await service.StopAsync().Within();

        later.SetException(new InvalidOperationException("after the stop"));
        await Task.Yield();

        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.False(service.IsCrashed);
    }

    [Fact]
    public async Task FromAwaitable_Factory_IsCancelledByStop()
    {
        var cancelled = false;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = Service.FromAwaitable(async ct =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        }, "poll");
        await service.StartAsync().Within();
        await started.Task.Within();

        await service.StopAsync().Within();

        Assert.True(cancelled);
        Assert.False(service.IsCrashed);
    }

    [Fact]
    public async Task JoinServicesAsync_StartsWaitsAndStopsInReverse()
    {
        var recorder = new Recorder();
        var owner = new RecordingService("OWNER", recorder);
        await owner.StartAsync().Within();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = Service.FromAwaitable(first.Task, "A");
        var b = Service.FromAwaitable(second.Task, "B");

        var join = owner.JoinServicesAsync([a, b]);
        Assert.Equal(ServiceState.Running, a.State);
        Assert.Equal(ServiceState.Running, b.State);
        first.SetResult();
        Assert.False(join.IsCompleted);
        second.SetResult();
        await join.Within();

        Assert.Equal(ServiceState.Shutdown, a.State);
        Assert.Equal(ServiceState.Shutdown, b.State);
    }
}

public class SignalTests
{
    private sealed class Sender;

    [Fact]
    public async Task SendAsync_CallsReceiversInConnectionOrder()
    {
        var signal = new Signal<Sender, int>("changed");
        var calls = new List<string>();
        signal.Connect((_, n, _) => { calls.Add($"a{n}"); return default; });
        signal.Connect((_, n, _) => { calls.Add($"b{n}"); return default; });

        await signal.SendAsync(new Sender(), 1);

        Assert.Equal(["a1", "b1"], calls);
        Assert.Equal("changed", signal.Name);
    }

    [Fact]
    public async Task Disconnect_StrongReceiver_ReallyDisconnects()
    {
        var signal = new Signal<Sender, int>();
        var calls = 0;
        Func<Sender, int, CancellationToken, ValueTask> receiver = (_, _, _) => { calls++; return default; };
        signal.Connect(receiver);

        Assert.True(signal.Disconnect(receiver));
        await signal.SendAsync(new Sender(), 1);

        Assert.Equal(0, calls);
        Assert.False(signal.Disconnect(receiver));
    }

    [Fact]
    public async Task Subscription_Dispose_Disconnects()
    {
        var signal = new Signal<Sender, int>();
        var calls = 0;
        var subscription = signal.Connect((_, _, _) => { calls++; return default; });

        subscription.Dispose();
        await signal.SendAsync(new Sender(), 1);

        Assert.Equal(0, calls);
        Assert.Equal(0, signal.ReceiverCount);
    }

    [Fact]
    public void Connect_WithSender_OnlyThatSendersSignalsArrive()
    {
        var signal = new SyncSignal<Sender, string>();
        var mine = new Sender();
        var other = new Sender();
        var seen = new List<string>();
        signal.Connect((_, s) => seen.Add(s), mine);

        signal.Send(other, "other");
        signal.Send(mine, "mine");

        Assert.Equal(["mine"], seen);
    }

    [Fact]
    public void ConnectWeak_TargetCollected_ReceiverIsDropped()
    {
        var signal = new SyncSignal<Sender, int>();
        var hits = new List<int>();
        ConnectCollectable(signal, hits);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        signal.Send(new Sender(), 1);

        Assert.Empty(hits);
        Assert.Equal(0, signal.ReceiverCount);
    }

    [Fact]
    public void ConnectWeak_TargetAlive_ReceivesSignals()
    {
        var signal = new SyncSignal<Sender, int>();
        var target = new List<int>();

        signal.ConnectWeak(target, static (t, _, n) => t.Add(n));
        signal.Send(new Sender(), 5);

        Assert.Equal([5], target);
        GC.KeepAlive(target);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ConnectCollectable(SyncSignal<Sender, int> signal, List<int> hits)
    {
        var target = new Collectable(hits);
        signal.ConnectWeak(target, static (t, _, n) => t.Hits.Add(n));
    }

    private sealed class Collectable(List<int> hits)
    {
        public List<int> Hits { get; } = hits;
    }
}
