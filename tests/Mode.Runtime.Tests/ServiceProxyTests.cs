using Mode.Runtime.Tests.WorkerSupport;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class ServiceProxyTests
{
    private sealed class LazyProxy(Func<IService> create) : ServiceProxy
    {
        private IService? _service;

        public int Created { get; private set; }

        protected override IService Service
        {
            get
            {
                if (_service is null)
                {
                    _service = create();
                    Created++;
                }

                return _service;
            }
        }
    }

    [Fact]
    public void Constructor_DoesNotCreateTheRealService()
    {
        var proxy = new LazyProxy(() => new ProbeService("Real", new ProbeLog()));

        Assert.Equal("LazyProxy", proxy.Label);
        Assert.Equal("LazyProxy", proxy.ShortLabel);
        Assert.Equal(0, proxy.Created);
    }

    [Fact]
    public void SupervisorInsert_ProxyReplacingAService_RealServiceInheritsTheSupervisorsSettings()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var supervisor = new OneForOneSupervisor([new ProbeService("Old", new ProbeLog())]) { TimeProvider = clock, LoggerFactory = logs };
        var real = new ProbeService("Real", new ProbeLog());
        var proxy = new LazyProxy(() => real);

        // Insert replaces a child in place (ReplaceDependency): the same ambient settings as AddDependency.
        supervisor.Insert(0, proxy);

        Assert.Same(proxy, supervisor.Services[0]);
        Assert.Same(clock, real.TimeProvider);
        Assert.Same(logs, real.LoggerFactory);
    }

    [Fact]
    public async Task Lifecycle_IsForwardedToTheRealService()
    {
        var log = new ProbeLog();
        var real = new ProbeService("Real", log);
        var proxy = new LazyProxy(() => real);

        await proxy.StartAsync().Within();
        Assert.True(proxy.IsStarted);
        Assert.Equal(ServiceState.Running, proxy.State);
        Assert.Same(real.Beacon, proxy.Beacon);
        Assert.False(await proxy.MaybeStartAsync().Within());

        await proxy.RestartAsync().Within();
        Assert.Equal(1, proxy.RestartCount);

        await proxy.StopAsync().Within();
        Assert.Equal(ServiceState.Shutdown, proxy.State);
        Assert.True(proxy.ShouldStop);
        Assert.Equal(["Real.start", "Real.started", "Real.stop", "Real.shutdown", "Real.start", "Real.started", "Real.stop", "Real.shutdown"], log.Events);
        Assert.Equal(1, proxy.Created);
    }

    [Fact]
    public async Task Dependencies_ContextsAndShutdown_AreForwarded()
    {
        var log = new ProbeLog();
        var real = new ProbeService("Real", log) { WaitForShutdown = true };
        var proxy = new LazyProxy(() => real);
        var child = proxy.AddDependency(new ProbeService("Child", log));
        var disposed = false;
        proxy.AddContext(new Disposable(() => disposed = true));

        await proxy.StartAsync().Within();
        Assert.Same(child, Assert.Single(real.Children));
        proxy.SetShutdown();
        await proxy.StopAsync().Within();

        Assert.True(disposed);
        Assert.Equal(ServiceState.Shutdown, child.State);
    }

    [Fact]
    public async Task AsAChild_TheRealServiceInheritsTheParentsClockAndRunsInItsTree()
    {
        var log = new ProbeLog();
        var clock = new VirtualClock();
        var real = new ProbeService("Real", log);
        var proxy = new LazyProxy(() => real);
        var parent = new ProbeService("Parent", log, proxy) { TimeProvider = clock };

        await parent.StartAsync().Within();
        await parent.StopAsync().Within();

        Assert.Same(clock, real.TimeProvider);
        Assert.Same(parent.Beacon, real.Beacon.Parent);
        Assert.Equal(["Parent.start", "Real.start", "Real.started", "Parent.started", "Parent.stop", "Real.stop", "Real.shutdown", "Parent.shutdown"], log.Events);
    }

    [Fact]
    public async Task Crash_ElsewhereInTheTree_ReachesTheProxiedService()
    {
        var log = new ProbeLog();
        var real = new ProbeService("Real", log);
        var proxy = new LazyProxy(() => real);
        var sibling = new ProbeService("Sibling", log);
        var root = new ProbeService("Root", log, proxy, sibling);
        await root.StartAsync().Within();

        sibling.Crash(new InvalidOperationException("sibling"));

        Assert.True(root.IsCrashed);
        Assert.True(proxy.IsCrashed);
        Assert.True(real.IsCrashed);
        Assert.Equal("sibling", proxy.CrashReason?.Message);
        await root.StopAsync().Within();
    }

    [Fact]
    public async Task Crash_ThroughTheProxy_CrashesTheRealServiceAndWakesWaiters()
    {
        var real = new ProbeService("Real", new ProbeLog());
        var proxy = new LazyProxy(() => real);
        await proxy.StartAsync().Within();
        var waiting = proxy.WaitUntilStoppedAsync();

        proxy.Crash(new InvalidOperationException("direct"));

        await waiting.Within();
        Assert.Equal(ServiceState.Crashed, proxy.State);
        await proxy.DisposeAsync();
        Assert.True(real.ShouldStop);
    }

    private sealed class Disposable(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
