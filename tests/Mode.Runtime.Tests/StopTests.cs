using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class StopTests
{
    [Fact]
    public async Task StopAsync_ConcurrentCallers_RunEachHookOnceAndAllReturnAfterCompletion()
    {
        var recorder = new Recorder();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = new RecordingService("CHILD", recorder);
        var service = new RecordingService("S", recorder, child)
        {
            OnStop = async _ => { entered.TrySetResult(); await release.Task; },
        };
        await service.StartAsync().Within();

        var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(() => service.StopAsync())).ToArray();
        await entered.Task.Within();
        await Task.Yield();
        Assert.All(callers, c => Assert.False(c.IsCompleted));
        Assert.Equal(ServiceState.Stopping, service.State);
        release.SetResult();
        await Task.WhenAll(callers).Within();

        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Single(recorder.Matching("S on_stop"));
        Assert.Single(recorder.Matching("S on_shutdown"));
        Assert.Single(recorder.Matching("CHILD on_stop"));
    }

    [Fact]
    public async Task StopAsync_SecondCallerWhileStopping_WaitsForTheFirst()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new RecordingService("S", new Recorder()) { OnShutdown = async _ => await release.Task };
        await service.StartAsync().Within();

        var first = service.StopAsync();
        var second = service.StopAsync();

        Assert.False(second.IsCompleted);
        release.SetResult();
        await Task.WhenAll(first, second).Within();
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task StopAsync_AfterCompleted_IsANoOp()
    {
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder);
        await service.StartAsync().Within();
        await service.StopAsync().Within();

        await service.StopAsync().Within();

        Assert.Single(recorder.Matching("on_stop"));
    }

    [Fact]
    public async Task StopAsync_ChildFails_LogsItAndStillStopsSiblingsAndParent()
    {
        var recorder = new Recorder();
        var logs = new CapturingLoggerFactory();
        var first = new RecordingService("FIRST", recorder);
        var failing = new RecordingService("FAILING", recorder) { OnStop = _ => throw new InvalidOperationException("cannot stop") };
        var last = new RecordingService("LAST", recorder);
        var parent = new RecordingService("P", recorder, first, failing, last) { LoggerFactory = logs };
        await parent.StartAsync().Within();

        await parent.StopAsync().Within();

        Assert.Equal(["P on_stop", "LAST on_stop", "FAILING on_stop", "FIRST on_stop"], recorder.Matching("on_stop"));
        Assert.Contains("P on_shutdown", recorder.Events);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("FAILING", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopAsync_OwnOnStopThrows_FinishesTheStopAndRethrows()
    {
        var recorder = new Recorder();
        var child = new RecordingService("CHILD", recorder);
        var boom = new InvalidOperationException("on_stop failed");
        var service = new RecordingService("S", recorder, child) { OnStop = _ => throw boom };
        await service.StartAsync().Within();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within());

        Assert.Same(boom, error);
        Assert.Contains("CHILD on_stop", recorder.Events);
        Assert.Contains("S on_shutdown", recorder.Events);
        Assert.Equal(ServiceState.Shutdown, service.State);
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => service.StopAsync().Within());
        Assert.Same(boom, again);
    }

    [Fact]
    public async Task StoppingToken_IsCancelledBeforeOnStopRuns()
    {
        bool? cancelledInOnStop = null;
        RecordingService? service = null;
        service = new RecordingService("S", new Recorder())
        {
            OnStop = _ => { cancelledInOnStop = service!.StoppingToken.IsCancellationRequested; return default; },
        };
        await service.StartAsync().Within();
        var token = service.StoppingToken;
        Assert.False(token.IsCancellationRequested);

        await service.StopAsync().Within();

        Assert.True(cancelledInOnStop);
        Assert.True(token.IsCancellationRequested);
        Assert.True(service.ShouldStop);
    }

    [Fact]
    public async Task StoppingToken_FirstReadAfterStop_IsAlreadyCancelled()
    {
        var service = new RecordingService("S", new Recorder());
        await service.StartAsync().Within();
        await service.StopAsync().Within();

        Assert.True(service.StoppingToken.IsCancellationRequested);
    }

    [Fact]
    public async Task StopAsync_WaitForShutdown_WaitsForSetShutdownThenFinishes()
    {
        var clock = new VirtualClock();
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder) { WaitForShutdown = true, TimeProvider = clock };
        await service.StartAsync().Within();

        var stop = service.StopAsync();
        await clock.WaitForArmedTimersAsync().Within();
        Assert.False(stop.IsCompleted);
        Assert.DoesNotContain("S on_shutdown", recorder.Events);

        service.SetShutdown();
        await stop.Within();
        Assert.Contains("S on_shutdown", recorder.Events);
    }

    [Fact]
    public async Task StopAsync_WaitForShutdownNeverSignalled_TimesOutWithWarningAndFinishes()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder)
        {
            WaitForShutdown = true,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            TimeProvider = clock,
            LoggerFactory = logs,
        };
        await service.StartAsync().Within();

        var stop = service.StopAsync();
        await clock.WaitForArmedTimersAsync().Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(4.9));
        Assert.False(stop.IsCompleted);
        clock.AdvanceStepwise(TimeSpan.FromSeconds(0.1));
        await stop.Within();

        Assert.Contains("S on_shutdown", recorder.Events);
        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("SetShutdown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopAsync_TaskIgnoresCancellation_IsAbandonedAfterShutdownTimeoutWithItsName()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var never = new TaskCompletionSource();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new HandWiredService
        {
            TimeProvider = clock,
            LoggerFactory = logs,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
            TaskBody = async (_, _) => { running.TrySetResult(); await never.Task; },
        };
        await service.StartAsync().Within();
        await running.Task.Within();

        var stop = service.StopAsync();
        await clock.WaitForArmedTimersAsync().Within();
        Assert.False(stop.IsCompleted);
        clock.AdvanceStepwise(TimeSpan.FromSeconds(2));
        await stop.Within();

        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("HandWired.Task", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopAsync_ParentTasksAreAwaitedOnlyAfterChildrenStopped()
    {
        var recorder = new Recorder();
        var childStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = new RecordingService("CHILD", recorder) { OnShutdown = _ => { childStopped.TrySetResult(); return default; } };
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = new ParentWithTask(child)
        {
            TaskBody = async (s, ct) =>
            {
                running.TrySetResult();
                // Ignores the token until the child has stopped: the stop must wait for it.
                await childStopped.Task;
                recorder.Add("parent task ends");
            },
        };
        await parent.StartAsync().Within();
        await running.Task.Within();

        await parent.StopAsync().Within();

        Assert.Equal(["CHILD on_stop", "CHILD on_shutdown", "parent task ends"], recorder.Events.Where(e => !e.Contains("on_init", StringComparison.Ordinal) && !e.Contains("start", StringComparison.Ordinal)).ToArray());
    }

    private sealed class ParentWithTask(IService child) : HandWiredService
    {
        protected override IEnumerable<IService> OnInitDependencies() => [child];
    }

    [Fact]
    public async Task StopAsync_BackgroundTaskEndingOnCancellation_DoesNotCrash()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new HandWiredService
        {
            TaskBody = async (_, ct) => { running.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); },
        };
        await service.StartAsync().Within();
        await running.Task.Within();

        await service.StopAsync().Within();

        Assert.False(service.IsCrashed);
        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Empty(service.RunningTasks);
    }
}
