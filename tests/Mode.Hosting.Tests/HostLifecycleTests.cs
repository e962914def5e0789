using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mode.Hosting.Tests.Support;
using Mode.Testing;

namespace Mode.Hosting.Tests;

public sealed class HostLifecycleTests
{
    [Fact]
    public async Task StartAsync_Host_StartsTreeInRegistrationOrderAndStopsItInReverse()
    {
        var recorder = new Recorder();
        var builder = TestHost.CreateBuilder();
        builder.Services.AddSingleton<IHostedService>(_ => new RecordingHostedService("before", recorder));
        builder.Services.AddModeService(_ => new Probe("app", recorder, new Probe("a", recorder), new Probe("b", recorder)));
        builder.Services.AddSingleton<IHostedService>(_ => new RecordingHostedService("after", recorder));
        using var host = builder.Build();

        await host.StartAsync().Within();
        Assert.Equal(["before.start", "app.start", "a.start", "a.started", "b.start", "b.started", "app.started", "after.start"], recorder.Events);
        var app = host.Services.GetRequiredService<Probe>();
        Assert.Equal(ServiceState.Running, app.State);

        await host.StopAsync().Within();
        Assert.Equal(
            ["after.stop", "app.stop", "b.stop", "b.shutdown", "a.stop", "a.shutdown", "app.shutdown", "before.stop"],
            recorder.Events.Skip(8));
        Assert.Equal(ServiceState.Shutdown, app.State);
    }

    [Fact]
    public async Task StartAsync_TreeStartFails_HostStartFailsAndWhatStartedIsStopped()
    {
        var recorder = new Recorder();
        var failure = new InvalidOperationException("no database");
        var first = new Probe("first", recorder);
        var broken = new Probe("broken", recorder) { OnStart = _ => throw failure };
        var never = new Probe("never", recorder);
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => new Probe("app", recorder, first, broken, never));
        builder.Services.AddSingleton<IHostedService>(_ => new RecordingHostedService("after", recorder));
        using var host = builder.Build();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().Within());

        Assert.Same(failure, thrown);
        Assert.Contains("first.stop", recorder.Events);
        Assert.Contains("app.shutdown", recorder.Events);
        Assert.Equal(ServiceState.Shutdown, first.State);
        Assert.DoesNotContain("never.start", recorder.Events);
        Assert.DoesNotContain("after.start", recorder.Events);
    }

    [Fact]
    public async Task StopAsync_HookIgnoresToken_ReturnsWhenTheHostsShutdownTimeoutExpires()
    {
        var recorder = new Recorder();
        var logs = new CapturingLoggerFactory();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = new Probe("app", recorder)
        {
            OnStop = async _ =>
            {
                entered.TrySetResult();
                await release.Task; // ignores the token on purpose
            },
        };
        var builder = TestHost.CreateBuilder();
        builder.Services.AddSingleton<ILoggerFactory>(logs);
        builder.Services.AddModeService(_ => app);
        using var host = builder.Build();
        await host.StartAsync().Within();

        // The host links this token with its ShutdownTimeout; cancelling it is the timeout expiring.
        using var shutdownTimeout = new CancellationTokenSource();
        var stopping = host.StopAsync(shutdownTimeout.Token);
        await entered.Task.Within();
        Assert.False(stopping.IsCompleted);
        shutdownTimeout.Cancel();
        await Task.WhenAny(stopping).Within();

        Assert.Equal(ServiceState.Stopping, app.State);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("did not stop within the host's shutdown timeout", StringComparison.Ordinal));
        release.TrySetResult();
        await app.StopAsync().Within();
        Assert.Equal(ServiceState.Shutdown, app.State);
    }

    [Fact]
    public async Task StopAsync_HostStopsNormally_PassesItsTokenToStopHooks()
    {
        var recorder = new Recorder();
        var tokens = new List<CancellationToken>();
        var app = new Probe("app", recorder)
        {
            OnStop = ct =>
            {
                tokens.Add(ct);
                return default;
            },
        };
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => app);
        using var host = builder.Build();
        await host.StartAsync().Within();

        await host.StopAsync().Within();

        var token = Assert.Single(tokens);
        Assert.True(token.CanBeCanceled);
    }

    [Fact]
    public async Task StartAsync_Host_GivesTheTreeTheHostsLoggerFactory()
    {
        var recorder = new Recorder();
        var logs = new CapturingLoggerFactory();
        var builder = TestHost.CreateBuilder();
        builder.Services.AddSingleton<ILoggerFactory>(logs);
        builder.Services.AddModeService(_ => new Probe("app", recorder, new Probe("child", recorder)));
        using var host = builder.Build();

        await host.StartAsync().Within();
        await host.StopAsync().Within();

        var lines = logs.Lines;
        Assert.Contains(lines, l => l.Contains("app", StringComparison.Ordinal) && l.EndsWith("Starting...", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("child", StringComparison.Ordinal) && l.EndsWith("Starting...", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("child", StringComparison.Ordinal) && l.EndsWith("Stopping...", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_ServiceHasItsOwnLoggerFactory_KeepsIt()
    {
        var own = new CapturingLoggerFactory();
        var hosts = new CapturingLoggerFactory();
        var app = new Probe("app", new Recorder()) { LoggerFactory = own };
        var builder = TestHost.CreateBuilder();
        builder.Services.AddSingleton<ILoggerFactory>(hosts);
        builder.Services.AddModeService(_ => app);
        using var host = builder.Build();

        await host.StartAsync().Within();
        await host.StopAsync().Within();

        Assert.Same(own, app.LoggerFactory);
        Assert.Contains(own.Lines, l => l.EndsWith("Starting...", StringComparison.Ordinal));
        Assert.DoesNotContain(hosts.Lines, l => l.EndsWith("Starting...", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_TimeProviderRegistered_TheTreeSleepsOnIt()
    {
        var clock = new VirtualClock();
        var sleeper = new Sleeper();
        var builder = TestHost.CreateBuilder();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddModeService(_ => new Probe("app", new Recorder(), sleeper));
        using var host = builder.Build();

        await host.StartAsync().Within();
        var app = host.Services.GetRequiredService<Probe>();
        Assert.Same(clock, app.TimeProvider);
        Assert.Same(clock, sleeper.TimeProvider);

        await clock.WaitForArmedTimersAsync().Within();
        Assert.False(sleeper.Slept.Task.IsCompleted);
        clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        Assert.True(await sleeper.Slept.Task.Within());

        await host.StopAsync().Within();
    }

    [Fact]
    public async Task StartAsync_NoTimeProviderRegistered_TheTreeKeepsTheSystemClock()
    {
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => new Probe("app", new Recorder()));
        using var host = builder.Build();

        await host.StartAsync().Within();
        Assert.Same(TimeProvider.System, host.Services.GetRequiredService<Probe>().TimeProvider);
        await host.StopAsync().Within();
    }

    [Fact]
    public async Task AddModeService_ByType_CreatesTheRootFromTheContainer()
    {
        var builder = TestHost.CreateBuilder();
        builder.Services.AddSingleton(new Recorder());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddModeService<ContainerBuiltService>();
        using var host = builder.Build();

        await host.StartAsync().Within();
        var hosted = Assert.Single(host.Services.GetServices<ModeHostedService>());
        var root = host.Services.GetRequiredService<ContainerBuiltService>();
        Assert.Same(root, hosted.Service);
        Assert.Equal(ServiceState.Running, root.State);
        Assert.Equal(["container.start", "container.started"], root.Recorder.Events);
        await host.StopAsync().Within();
    }

    [Fact]
    public void AddModeService_SameTypeTwice_Throws()
    {
        var services = new ServiceCollection();
        services.AddModeService(_ => new Probe("one", new Recorder()));

        var error = Assert.Throws<InvalidOperationException>(() => services.AddModeService(_ => new Probe("two", new Recorder())));
        Assert.Contains("Probe", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddModeService_TwoTrees_BothRunWithTheHost()
    {
        var recorder = new Recorder();
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => new Probe("first", recorder));
        builder.Services.AddModeService(_ => new Sleeper());
        using var host = builder.Build();

        await host.StartAsync().Within();
        Assert.Equal(2, host.Services.GetServices<ModeHostedService>().Count());
        Assert.Equal(ServiceState.Running, host.Services.GetRequiredService<Sleeper>().State);
        await host.StopAsync().Within();
        Assert.Equal(ServiceState.Shutdown, host.Services.GetRequiredService<Sleeper>().State);
        Assert.Equal(ServiceState.Shutdown, host.Services.GetRequiredService<Probe>().State);
    }

    public sealed class ContainerBuiltService(Recorder recorder, TimeProvider clock) : Probe("container", recorder)
    {
        public TimeProvider Clock { get; } = clock;
    }
}
