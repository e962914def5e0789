using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class LifecycleOrderTests
{
    // ROOT -> [B -> [A1, A2], C], the tree docs/mode-semantics.md walks through.
    private static (RecordingService Root, Recorder Recorder) Tree()
    {
        var recorder = new Recorder();
        var a1 = new RecordingService("A1", recorder);
        var a2 = new RecordingService("A2", recorder);
        var b = new RecordingService("B", recorder, a1, a2);
        var c = new RecordingService("C", recorder);
        var root = new RecordingService("ROOT", recorder, b, c);
        return (root, recorder);
    }

    private static string[] Without(IReadOnlyList<string> events, string hook) =>
        events.Where(e => !e.EndsWith(hook, StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task StartAsync_ThreeLevelTree_RunsHooksInModesOrder()
    {
        var (root, recorder) = Tree();

        await root.StartAsync().Within();

        Assert.Equal(
            [
                "ROOT on_init_dependencies", "ROOT on_first_start", "ROOT on_start",
                "B on_init_dependencies", "B on_first_start", "B on_start",
                "A1 on_init_dependencies", "A1 on_first_start", "A1 on_start", "A1 on_started",
                "A2 on_init_dependencies", "A2 on_first_start", "A2 on_start", "A2 on_started",
                "B on_started",
                "C on_init_dependencies", "C on_first_start", "C on_start", "C on_started",
                "ROOT on_started",
            ],
            Without(recorder.Events, "on_init"));
    }

    [Fact]
    public async Task StopAsync_ThreeLevelTree_StopsChildrenInReverseAfterParentOnStop()
    {
        var (root, recorder) = Tree();
        await root.StartAsync().Within();
        var startCount = recorder.Events.Count;

        await root.StopAsync().Within();

        Assert.Equal(
            [
                "ROOT on_stop",
                "C on_stop", "C on_shutdown",
                "B on_stop", "A2 on_stop", "A2 on_shutdown", "A1 on_stop", "A1 on_shutdown", "B on_shutdown",
                "ROOT on_shutdown",
            ],
            recorder.Events.Skip(startCount).ToArray());
    }

    [Fact]
    public async Task StartAsync_OnInit_RunsOnceLazilyBeforeFirstStart()
    {
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder);
        Assert.Equal(0, service.InitCount);

        await service.StartAsync().Within();
        await service.RestartAsync().Within();

        Assert.Equal(1, service.InitCount);
        Assert.Equal("S on_init", recorder.Events[0]);
    }

    [Fact]
    public async Task StartAsync_Twice_ThrowsInvalidOperationNamingTheService()
    {
        var service = new RecordingService("Webserver", new Recorder());
        await service.StartAsync().Within();

        var error = Assert.Throws<InvalidOperationException>(() => { _ = service.StartAsync(); });

        Assert.Contains("Webserver", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaybeStartAsync_StartsOnlyOnce()
    {
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder);

        Assert.True(await service.MaybeStartAsync().Within());
        Assert.False(await service.MaybeStartAsync().Within());
        Assert.Single(recorder.Matching("on_start"));
    }

    [Fact]
    public async Task State_DuringLifecycle_GoesInitStartingRunningStoppingShutdown()
    {
        var seen = new List<ServiceState>();
        RecordingService? service = null;
        service = new RecordingService("S", new Recorder())
        {
            OnStart = _ => { seen.Add(service!.State); return default; },
            OnStarted = _ => { seen.Add(service!.State); return default; },
            OnStop = _ => { seen.Add(service!.State); return default; },
        };
        seen.Add(service.State);

        await service.StartAsync().Within();
        seen.Add(service.State);
        await service.StopAsync().Within();
        seen.Add(service.State);

        Assert.Equal(
            [ServiceState.Init, ServiceState.Starting, ServiceState.Running, ServiceState.Running, ServiceState.Stopping, ServiceState.Shutdown],
            seen);
    }

    [Fact]
    public async Task IsStarted_DuringOnStart_IsTrue()
    {
        bool? startedInHook = null;
        RecordingService? service = null;
        service = new RecordingService("S", new Recorder())
        {
            OnStart = _ => { startedInHook = service!.IsStarted; return default; },
        };

        await service.StartAsync().Within();

        Assert.True(startedInHook);
    }

    [Fact]
    public async Task StartAsync_HookThrows_RethrowsTheSameExceptionUnwrapped()
    {
        var boom = new InvalidTimeZoneException("boom");
        var service = new RecordingService("S", new Recorder()) { OnStart = _ => throw boom };

        var error = await Assert.ThrowsAsync<InvalidTimeZoneException>(() => service.StartAsync().Within());

        Assert.Same(boom, error);
    }

    [Fact]
    public async Task StartAsync_ChildFails_PropagatesAndLaterSiblingsDoNotStart()
    {
        var recorder = new Recorder();
        var ok = new RecordingService("OK", recorder);
        var bad = new RecordingService("BAD", recorder) { OnStart = _ => throw new InvalidOperationException("bad") };
        var after = new RecordingService("AFTER", recorder);
        var parent = new RecordingService("P", recorder, ok, bad, after);

        await Assert.ThrowsAsync<InvalidOperationException>(() => parent.StartAsync().Within());

        Assert.Equal(ServiceState.Running, ok.State);
        Assert.Equal(ServiceState.Init, after.State);
        Assert.DoesNotContain("P on_started", recorder.Events);
        Assert.DoesNotContain("AFTER on_start", recorder.Events);
    }

    [Fact]
    public async Task StopAsync_AfterFailedStart_StopsEveryChildIncludingNeverStarted()
    {
        var recorder = new Recorder();
        var ok = new RecordingService("OK", recorder);
        var bad = new RecordingService("BAD", recorder) { OnStart = _ => throw new InvalidOperationException("bad") };
        var after = new RecordingService("AFTER", recorder);
        var parent = new RecordingService("P", recorder, ok, bad, after);
        await Assert.ThrowsAsync<InvalidOperationException>(() => parent.StartAsync().Within());

        await parent.StopAsync().Within();

        Assert.Equal(["P on_stop", "AFTER on_stop", "BAD on_stop", "OK on_stop"], recorder.Matching("on_stop"));
        Assert.All([parent, ok, bad, after], s => Assert.Equal(ServiceState.Shutdown, s.State));
    }

    [Fact]
    public async Task StartAsync_StopRequestedDuringOnStart_SkipsTheRestWithoutError()
    {
        var recorder = new Recorder();
        var child = new RecordingService("CHILD", recorder);
        RecordingService? service = null;
        Task? stop = null;
        service = new RecordingService("S", recorder, child)
        {
            OnStart = _ => { stop = service!.StopAsync(CancellationToken.None); return default; },
        };

        await service.StartAsync().Within();
        await stop!.Within();

        Assert.DoesNotContain("CHILD on_start", recorder.Events);
        Assert.DoesNotContain("S on_started", recorder.Events);
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task StartAsync_CancellationToken_IsPassedToStartHooks()
    {
        using var cts = new CancellationTokenSource();
        CancellationToken seen = default;
        var service = new RecordingService("S", new Recorder()) { OnStart = ct => { seen = ct; return default; } };

        await service.StartAsync(cts.Token).Within();

        Assert.Equal(cts.Token, seen);
    }

    [Fact]
    public async Task DisposeAsync_StartedService_StopsItOnceEvenWhenCalledTwice()
    {
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder);
        await service.StartAsync().Within();

        await service.DisposeAsync();
        await service.DisposeAsync();

        Assert.Single(recorder.Matching("on_stop"));
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task DisposeAsync_NeverStarted_RunsNoHook()
    {
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder);

        await service.DisposeAsync();

        Assert.Empty(recorder.Events);
        Assert.Equal(ServiceState.Init, service.State);
    }

    [Fact]
    public async Task StopAsync_NeverStarted_RunsStopHooksAsMode()
    {
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder);

        await service.StopAsync().Within();

        Assert.Equal(["S on_stop", "S on_shutdown"], recorder.Events.ToArray());
    }
}
