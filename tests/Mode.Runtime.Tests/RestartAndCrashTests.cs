using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class RestartTests
{
    [Fact]
    public async Task RestartAsync_RunsStopResetOnRestartStartInOrder()
    {
        var recorder = new Recorder();
        var child = new RecordingService("CHILD", recorder);
        var service = new RecordingService("S", recorder, child);
        await service.StartAsync().Within();
        var before = recorder.Events.Count;

        await service.RestartAsync().Within();

        Assert.Equal(
            [
                "S on_stop", "CHILD on_stop", "CHILD on_shutdown", "S on_shutdown",
                "S on_restart",
                "S on_start", "CHILD on_start", "CHILD on_started", "S on_started",
            ],
            recorder.Events.Skip(before).ToArray());
        Assert.Equal(ServiceState.Running, service.State);
        Assert.Equal(ServiceState.Running, child.State);
    }

    [Fact]
    public async Task RestartAsync_DoesNotRerunInitDependenciesOrFirstStartAnywhere()
    {
        var recorder = new Recorder();
        var child = new RecordingService("CHILD", recorder);
        var service = new RecordingService("S", recorder, child);
        await service.StartAsync().Within();

        await service.RestartAsync().Within();
        await service.RestartAsync().Within();

        Assert.Equal(1, service.InitDependenciesCount);
        Assert.Equal(1, child.InitDependenciesCount);
        Assert.Single(recorder.Matching("S on_first_start"));
        Assert.Single(recorder.Matching("CHILD on_first_start"));
        Assert.Equal(3, recorder.Matching("CHILD on_start").Count);
    }

    [Fact]
    public async Task RestartAsync_IncrementsRestartCountOnEveryDescendantOnce()
    {
        var recorder = new Recorder();
        var leaf = new RecordingService("LEAF", recorder);
        var middle = new RecordingService("MIDDLE", recorder, leaf);
        var root = new RecordingService("ROOT", recorder, middle);
        await root.StartAsync().Within();

        await root.RestartAsync().Within();

        Assert.Equal([1, 1, 1], new[] { root.RestartCount, middle.RestartCount, leaf.RestartCount });
        Assert.Single(recorder.Matching("on_restart"));
    }

    [Fact]
    public async Task RestartAsync_RuntimeDependencyAddedInOnStart_DoesNotPileUp()
    {
        var recorder = new Recorder();
        var extra = new RecordingService("EXTRA", recorder);
        RecordingService? service = null;
        service = new RecordingService("S", recorder)
        {
            OnStart = async ct => await service!.AddRuntimeDependencyAsync(extra, ct),
        };
        await service.StartAsync().Within();

        await service.RestartAsync().Within();
        await service.RestartAsync().Within();

        Assert.Single(service.Children);
        Assert.Equal(ServiceState.Running, extra.State);
    }

    [Fact]
    public async Task RestartAsync_CrashedService_ClearsTheCrash()
    {
        var service = new RecordingService("S", new Recorder());
        await service.StartAsync().Within();
        service.Crash(new InvalidOperationException("x"));
        Assert.Equal(ServiceState.Crashed, service.State);

        await service.RestartAsync().Within();

        Assert.False(service.IsCrashed);
        Assert.Null(service.CrashReason);
        Assert.Equal(ServiceState.Running, service.State);
    }

    [Fact]
    public async Task Reset_AllowsStartingAgain()
    {
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder);
        await service.StartAsync().Within();
        await service.StopAsync().Within();

        service.Reset();
        await service.StartAsync().Within();

        Assert.Equal(ServiceState.Running, service.State);
        Assert.Equal(2, recorder.Matching("on_start").Count);
        Assert.False(service.StoppingToken.IsCancellationRequested);
    }

    [Fact]
    public async Task RestartAsync_BackgroundTasksRunAgainAfterRestart()
    {
        var runs = 0;
        var ranOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ranTwice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new HandWiredService
        {
            TaskBody = (_, _) =>
            {
                (Interlocked.Increment(ref runs) == 1 ? ranOnce : ranTwice).TrySetResult();
                return Task.CompletedTask;
            },
        };
        await service.StartAsync().Within();
        await ranOnce.Task.Within();

        await service.RestartAsync().Within();

        await ranTwice.Task.Within();
        Assert.Equal(2, runs);
    }
}

public class CrashTests
{
    private static (RecordingService Root, RecordingService Middle, RecordingService Leaf, RecordingService Sibling) Tree()
    {
        var recorder = new Recorder();
        var leaf = new RecordingService("L1", recorder);
        var middle = new RecordingService("M", recorder, leaf);
        var sibling = new RecordingService("L2", recorder);
        var root = new RecordingService("R", recorder, middle, sibling);
        return (root, middle, leaf, sibling);
    }

    [Fact]
    public async Task Crash_WithoutSupervisor_MarksTheWholeTreeCrashed()
    {
        var (root, middle, leaf, sibling) = Tree();
        await root.StartAsync().Within();
        var reason = new InvalidOperationException("leaf failed");

        leaf.Crash(reason);

        Assert.All([root, middle, leaf, sibling], s =>
        {
            Assert.True(s.IsCrashed);
            Assert.Equal(ServiceState.Crashed, s.State);
            Assert.Same(reason, s.CrashReason);
            Assert.True(s.ShouldStop);
        });
    }

    [Fact]
    public async Task Crash_Twice_KeepsTheFirstReason()
    {
        var service = new RecordingService("S", new Recorder());
        await service.StartAsync().Within();
        var first = new InvalidOperationException("first");

        service.Crash(first);
        service.Crash(new InvalidOperationException("second"));

        Assert.Same(first, service.CrashReason);
    }

    [Fact]
    public async Task Crash_WakesWaitUntilStoppedOfTheRoot()
    {
        var (root, _, leaf, _) = Tree();
        await root.StartAsync().Within();
        var waiting = root.WaitUntilStoppedAsync();
        Assert.False(waiting.IsCompleted);

        leaf.Crash(new InvalidOperationException("x"));

        await waiting.Within();
    }

    [Fact]
    public async Task Crash_WithSupervisor_WakesItAndLeavesTheTreeAlone()
    {
        var (root, middle, leaf, sibling) = Tree();
        var supervisor = new RecordingSupervisor();
        leaf.Supervisor = supervisor;
        await root.StartAsync().Within();

        leaf.Crash(new InvalidOperationException("x"));

        Assert.Equal([leaf], supervisor.Woken);
        Assert.True(leaf.IsCrashed);
        Assert.False(root.IsCrashed);
        Assert.False(middle.IsCrashed);
        Assert.False(sibling.IsCrashed);
    }

    [Fact]
    public async Task Crash_AlreadyCrashed_DoesNotWakeTheSupervisorAgain()
    {
        var service = new RecordingService("S", new Recorder());
        var supervisor = new RecordingSupervisor();
        service.Supervisor = supervisor;
        await service.StartAsync().Within();

        service.Crash(new InvalidOperationException("1"));
        service.Crash(new InvalidOperationException("2"));

        Assert.Single(supervisor.Woken);
    }

    [Fact]
    public async Task Crash_LogsCrashedReasonAtErrorWithTheException()
    {
        var logs = new CapturingLoggerFactory();
        var service = new RecordingService("Webserver", new Recorder()) { LoggerFactory = logs };
        await service.StartAsync().Within();
        var reason = new InvalidOperationException("port in use");

        service.Crash(reason);

        var entry = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.StartsWith("Crashed reason=", entry.Message, StringComparison.Ordinal);
        Assert.Contains("port in use", entry.Message, StringComparison.Ordinal);
        Assert.Same(reason, entry.Exception);
        Assert.Equal("[^Webserver]", entry.Scope);
    }

    [Fact]
    public async Task Crash_DoesNotWakeSleepButStopDoes()
    {
        var clock = new VirtualClock();
        var service = new RecordingService("S", new Recorder()) { TimeProvider = clock };
        await service.StartAsync().Within();
        var sleep = service.SleepAsync(TimeSpan.FromSeconds(100)).AsTask();

        service.Crash(new InvalidOperationException("x"));
        Assert.False(sleep.IsCompleted);

        await service.StopAsync().Within();
        Assert.False(await sleep.Within());
    }

    [Fact]
    public async Task BackgroundTaskThrows_CrashesTheServiceAndTheTree()
    {
        var boom = new InvalidOperationException("task failed");
        var child = new HandWiredService { TaskBody = (_, _) => throw boom };
        var root = new RecordingService("ROOT", new Recorder(), child);
        var stopped = root.WaitUntilStoppedAsync();

        await root.StartAsync().Within();
        await stopped.Within();

        Assert.True(child.IsCrashed);
        Assert.True(root.IsCrashed);
        Assert.Same(boom, root.CrashReason);
    }

    [Fact]
    public async Task BackgroundTaskCancelledWithoutStop_IsLoggedAndDoesNotCrash()
    {
        var logs = new CapturingLoggerFactory();
        var service = new HandWiredService
        {
            LoggerFactory = logs,
            TaskBody = (_, _) => Task.FromCanceled(new CancellationToken(canceled: true)),
        };

        await service.StartAsync().Within();
        var warning = await logs.WaitForAsync(e => e.Level == LogLevel.Warning).Within();
        await service.StopAsync().Within();

        Assert.Contains("HandWired.Task", warning.Message, StringComparison.Ordinal);
        Assert.Contains("cancelled", warning.Message, StringComparison.Ordinal);
        Assert.False(service.IsCrashed);
    }

    private sealed class RecordingSupervisor : ISupervisor
    {
        public List<IService> Woken { get; } = [];

        public void Wakeup(IService service) => Woken.Add(service);
    }
}
