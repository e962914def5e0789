using Mode.Runtime.Tests.WorkerSupport;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class ServiceThreadTests
{
    [Fact]
    public async Task StartAndStop_EveryHookTaskTimerAndChild_RunOnTheOneDedicatedThread()
    {
        var log = new ProbeLog();
        var clock = new VirtualClock();
        var child = new ProbeService("Child", log);
        var service = new ThreadProbe("T", log, child) { TimeProvider = clock };
        var testThread = Environment.CurrentManagedThreadId;

        await service.StartAsync().Within();
        var thread = service.ManagedThreadId;
        Assert.NotNull(thread);
        await clock.WaitForArmedTimersAsync(2).Within(); // the task's sleep and the timer
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        await service.Ticked.Task.Within();
        await service.StopAsync().Within();

        string[] starts = ["T.first_start", "T.start", "T.start_after_yield", "Child.start", "Child.started", "T.started"];
        Assert.Equal(starts, log.Events.Where(starts.Contains).ToArray());
        Assert.Contains("T.task", log.Events);
        Assert.Contains("T.task_woken", log.Events);
        Assert.Contains("T.thread_stop", log.Events);
        Assert.All(log.Threads("T"), t => Assert.Equal(thread, t));
        Assert.All(log.Threads("Child"), t => Assert.Equal(thread, t));
        Assert.NotEqual(testThread, thread);
        Assert.Null(service.ManagedThreadId);
    }

    [Fact]
    public async Task NestedServiceThread_RunsOnItsOwnThread_AndItsParentContinuesOnTheParentsThread()
    {
        var log = new ProbeLog();
        var clock = new VirtualClock();
        var inner = new ThreadProbe("Inner", log) { TimeProvider = clock };
        var after = new ProbeService("After", log);
        var outer = new ThreadProbe("Outer", log, inner, after) { TimeProvider = clock };

        await outer.StartAsync().Within();
        var outerThread = outer.ManagedThreadId;
        var innerThread = inner.ManagedThreadId;
        await outer.StopAsync().Within();

        Assert.NotEqual(outerThread, innerThread);
        Assert.All(log.Threads("Outer"), t => Assert.Equal(outerThread, t));
        Assert.All(log.Threads("Inner"), t => Assert.Equal(innerThread, t));
        Assert.All(log.Threads("After"), t => Assert.Equal(outerThread, t));
        Assert.Null(inner.ManagedThreadId);
        Assert.Null(outer.ManagedThreadId);
    }

    [Fact]
    public async Task StopAsync_RunsOnThreadStopAfterOnStopAndBeforeTheChildren()
    {
        var log = new ProbeLog();
        var child = new ProbeService("Child", log);
        var service = new ThreadProbe("T", log, child) { TimeProvider = new VirtualClock() };
        await service.StartAsync().Within();

        await service.StopAsync().Within();

        var stops = log.Events.Where(e => e.Contains("stop", StringComparison.Ordinal) || e.Contains("shutdown", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["T.stop", "T.thread_stop", "Child.stop", "Child.shutdown", "T.shutdown"], stops);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task StartAsync_FailureOnTheThread_ThrowsInTheParentEveryTime()
    {
        for (var i = 0; i < 50; i++)
        {
            var log = new ProbeLog();
            var synchronous = i % 2 == 0;
            var service = new ThreadProbe("T", log)
            {
                TimeProvider = new VirtualClock(),
                Starting = async (_, _) =>
                {
                    if (!synchronous)
                    {
                        await Task.Yield();
                    }

                    throw new InvalidOperationException("boom " + i);
                },
            };
            var parent = new ProbeService("P", log, service);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => parent.StartAsync().Within());

            Assert.Equal("boom " + i, error.Message);
            await parent.StopAsync().Within();
            Assert.Null(service.ManagedThreadId);
        }
    }

    [Fact]
    public async Task StartAsync_ReturnsOnlyOnceTheServiceOnTheThreadHasStarted_AndContinuesOffThatThread()
    {
        var log = new ProbeLog();
        var service = new ThreadProbe("T", log)
        {
            TimeProvider = new VirtualClock(),
            Started = async (_, _) => await Task.Yield(),
        };

        await Task.Run(async () =>
        {
            await service.StartAsync();
            Assert.Equal(ServiceState.Running, service.State);
            Assert.Contains("T.started", log.Events);
            Assert.NotEqual(service.ManagedThreadId, Environment.CurrentManagedThreadId);
            await service.StopAsync();
            Assert.NotEqual(log.Threads("T")[0], Environment.CurrentManagedThreadId);
        }).Within();
    }

    [Fact]
    public async Task Crash_OnTheThread_CrashesTheParentsTree()
    {
        var log = new ProbeLog();
        var service = new ThreadProbe("T", log)
        {
            TimeProvider = new VirtualClock(),
            Started = (s, _) =>
            {
                s.AddFuture(Task.Run(() => throw new InvalidOperationException("thread crash"), CancellationToken.None));
                return default;
            },
        };
        var root = new ProbeService("Root", log, new ProbeService("Sibling", log), service);

        await root.StartAsync().Within();
        await root.WaitUntilStoppedAsync().Within();

        Assert.True(root.IsCrashed);
        Assert.Equal("thread crash", root.CrashReason?.Message);
        await root.StopAsync().Within();
        Assert.Null(service.ManagedThreadId);
    }

    [Fact]
    public async Task SynchronizationContext_SendFromAnotherThread_RunsOnTheLoopAndWaits()
    {
        SynchronizationContext? loop = null;
        var service = new ThreadProbe("T", new ProbeLog())
        {
            TimeProvider = new VirtualClock(),
            Started = (_, _) =>
            {
                loop = SynchronizationContext.Current;
                return default;
            },
        };
        await service.StartAsync().Within();

        var ranOn = await Task.Run(() =>
        {
            var thread = 0;
            loop!.Send(_ => thread = Environment.CurrentManagedThreadId, null);
            return thread;
        }).Within();

        Assert.Equal(service.ManagedThreadId, ranOn);
        await service.StopAsync().Within();
    }

    [Fact]
    public async Task PostedCallback_ThatThrows_CrashesTheServiceAndTheLoopGoesOn()
    {
        var log = new ProbeLog();
        var service = new ThreadProbe("T", log)
        {
            TimeProvider = new VirtualClock(),
            Started = (_, _) =>
            {
                SynchronizationContext.Current!.Post(_ => throw new InvalidOperationException("escaped"), null);
                return default;
            },
        };

        await service.StartAsync().Within();
        await service.WaitUntilStoppedAsync().Within();
        Assert.Equal("escaped", service.CrashReason?.Message);

        await service.StopAsync().Within();
        Assert.Contains("T.shutdown", log.Events);
    }

    [Fact]
    public async Task RestartAsync_RunsOnRestartAndTheNewStartOnANewDedicatedThread()
    {
        var log = new ProbeLog();
        var service = new ThreadProbe("T", log) { TimeProvider = new VirtualClock() };
        await service.StartAsync().Within();
        var first = service.ManagedThreadId;

        await service.RestartAsync().Within();
        var second = service.ManagedThreadId;
        await service.StopAsync().Within();

        Assert.NotNull(second);
        Assert.NotEqual(Environment.CurrentManagedThreadId, second);
        var threads = log.Threads("T");
        var events = log.Events.Where(e => e.StartsWith("T.", StringComparison.Ordinal)).ToArray();
        var restartIndex = Array.IndexOf(events, "T.restart");
        Assert.True(restartIndex > 0);
        Assert.All(threads.Take(restartIndex), t => Assert.Equal(first, t));
        Assert.Equal(second, threads[restartIndex]);
        Assert.Equal(second, threads[Array.IndexOf(events, "T.start", restartIndex)]);
    }

    [Fact]
    public async Task StopAsync_FromTheServicesOwnThread_StopsAndEndsTheThread()
    {
        var log = new ProbeLog();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ThreadProbe("T", log)
        {
            TimeProvider = new VirtualClock(),
            Started = (s, _) =>
            {
                SynchronizationContext.Current!.Post(
                    async _ =>
                    {
                        await s.StopAsync();
                        stopped.TrySetResult();
                    },
                    null);
                return default;
            },
        };

        await service.StartAsync().Within();
        await stopped.Task.Within();
        await service.StopAsync().Within();

        // The stop ran on the thread itself, which cannot join itself: it ends right after the stop.
        Assert.Equal(ServiceState.Shutdown, service.State);
        await service.ThreadExited.Within();
        Assert.Null(service.ManagedThreadId);
    }

    [Fact]
    public async Task StopAsync_NeverStarted_RunsTheStopHooksOnAThreadThatThenEnds()
    {
        var log = new ProbeLog();
        var service = new ThreadProbe("T", log) { TimeProvider = new VirtualClock() };

        await service.StopAsync().Within();

        Assert.Equal(["T.stop", "T.thread_stop", "T.shutdown"], log.Events);
        Assert.NotEqual(Environment.CurrentManagedThreadId, log.Threads("T")[0]);
        Assert.Null(service.ManagedThreadId);
    }
}
