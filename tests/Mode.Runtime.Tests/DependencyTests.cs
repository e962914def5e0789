using Microsoft.Extensions.Logging.Abstractions;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class DependencyTests
{
    [Fact]
    public void AddDependency_ReturnsTheServiceAndAttachesItsBeacon()
    {
        var parent = new RecordingService("P", new Recorder());
        var child = new RecordingService("C", new Recorder());

        var returned = parent.AddDependency(child);

        Assert.Same(child, returned);
        Assert.Same(parent.Beacon, child.Beacon.Parent);
        Assert.Equal([child], parent.Children);
        Assert.Equal(ServiceState.Init, child.State);
    }

    [Fact]
    public void AddDependency_SameInstanceTwice_IsANoOp()
    {
        var parent = new RecordingService("P", new Recorder());
        var child = new RecordingService("C", new Recorder());

        parent.AddDependency(child);
        parent.AddDependency(child);

        Assert.Single(parent.Children);
        Assert.Single(parent.Beacon.Children);
    }

    [Fact]
    public void AddDependency_Itself_Throws()
    {
        var service = new RecordingService("S", new Recorder());

        Assert.Throws<ArgumentException>(() => service.AddDependency(service));
    }

    [Fact]
    public async Task AddRuntimeDependencyAsync_ParentStarted_StartsTheChild()
    {
        var parent = new RecordingService("P", new Recorder());
        await parent.StartAsync().Within();
        var child = new RecordingService("C", new Recorder());

        await parent.AddRuntimeDependencyAsync(child).Within();

        Assert.Equal(ServiceState.Running, child.State);
        await parent.StopAsync().Within();
        Assert.Equal(ServiceState.Shutdown, child.State);
    }

    [Fact]
    public async Task AddRuntimeDependencyAsync_ParentNotStarted_OnlyAdds()
    {
        var parent = new RecordingService("P", new Recorder());
        var child = new RecordingService("C", new Recorder());

        await parent.AddRuntimeDependencyAsync(child).Within();

        Assert.Equal(ServiceState.Init, child.State);
        Assert.Single(parent.Children);
    }

    [Fact]
    public async Task RemoveDependencyAsync_StopsAndDetachesTheChild()
    {
        var recorder = new Recorder();
        var child = new RecordingService("C", recorder);
        var parent = new RecordingService("P", recorder, child);
        await parent.StartAsync().Within();

        await parent.RemoveDependencyAsync(child).Within();

        Assert.Equal(ServiceState.Shutdown, child.State);
        Assert.Empty(parent.Children);
        Assert.Null(child.Beacon.Parent);
        await parent.StopAsync().Within();
        Assert.Single(recorder.Matching("C on_stop"));
    }

    [Fact]
    public async Task AddDependency_ChildWithoutClock_InheritsParentsTimeProviderAndLoggerFactory()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var child = new RecordingService("C", new Recorder());
        var parent = new RecordingService("P", new Recorder(), child) { TimeProvider = clock, LoggerFactory = logs };

        await parent.StartAsync().Within();

        Assert.Same(clock, child.TimeProvider);
        Assert.Same(logs, child.LoggerFactory);
    }

    [Fact]
    public async Task AddDependency_ChildWithOwnClock_KeepsIt()
    {
        var parentClock = new VirtualClock();
        var childClock = new VirtualClock();
        var child = new RecordingService("C", new Recorder()) { TimeProvider = childClock };
        var parent = new RecordingService("P", new Recorder(), child) { TimeProvider = parentClock };

        await parent.StartAsync().Within();

        Assert.Same(childClock, child.TimeProvider);
    }

    [Fact]
    public void Defaults_AreSystemClockAndNullLoggerFactory()
    {
        var service = new RecordingService("S", new Recorder());

        Assert.Same(TimeProvider.System, service.TimeProvider);
        Assert.Same(NullLoggerFactory.Instance, service.LoggerFactory);
        Assert.Equal(TimeSpan.FromSeconds(60), service.ShutdownTimeout);
        Assert.False(service.WaitForShutdown);
    }

    [Fact]
    public async Task TimeProvider_SetAfterStart_ThrowsNamingTheService()
    {
        var service = new RecordingService("Cache", new Recorder());
        await service.StartAsync().Within();

        var error = Assert.Throws<InvalidOperationException>(() => service.TimeProvider = new VirtualClock());

        Assert.Contains("Cache", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnInitDependencies_NullEntries_AreSkipped()
    {
        var child = new RecordingService("C", new Recorder());
        var parent = new RecordingService("P", new Recorder(), null!, child);

        await parent.StartAsync().Within();

        Assert.Equal([child], parent.Children);
    }

    [Fact]
    public async Task WiredDependencies_AreAddedBeforeOnInitDependenciesInDeclarationOrder()
    {
        var recorder = new Recorder();
        var first = new RecordingService("FIRST", recorder);
        var second = new RecordingService("SECOND", recorder);
        var fromHook = new RecordingService("HOOK", recorder);
        var service = new HandWiredDependencies(first, second, fromHook);

        await service.StartAsync().Within();

        Assert.Equal([first, second, fromHook], service.Children);
        Assert.Equal(["FIRST on_start", "SECOND on_start", "HOOK on_start"], recorder.Matching("on_start"));
    }

    private sealed class HandWiredDependencies(IService first, IService second, IService fromHook) : Service
    {
        private static IService? Missing => null;

        private IService First { get; } = first;

        private IService Second { get; } = second;

        protected override IEnumerable<IService> OnInitDependencies() => [fromHook];

        protected override void ConfigureWiring(ServiceWiring wiring)
        {
            base.ConfigureWiring(wiring);
            wiring.AddDependency("First", static s => ((HandWiredDependencies)s).First);
            wiring.AddDependency("Missing", static _ => Missing);
            wiring.AddDependency("Second", static s => ((HandWiredDependencies)s).Second);
        }
    }
}

public class LateAmbientTests
{
    [Fact]
    public async Task StartAsync_ParentConfiguredAfterAddingChildren_ChildrenStillInherit()
    {
        var child = new RecordingService("C", new Recorder());
        var parent = new RecordingService("P", new Recorder());
        parent.AddDependency(child);
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        parent.TimeProvider = clock;
        parent.LoggerFactory = logs;

        await parent.StartAsync().Within();

        Assert.Same(clock, child.TimeProvider);
        Assert.Contains("[^-C]: Starting...", logs.Lines);
    }
}
