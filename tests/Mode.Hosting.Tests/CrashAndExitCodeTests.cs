using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mode.Hosting.Tests.Support;
using Mode.Testing;

namespace Mode.Hosting.Tests;

[Collection(ExitCodeCollection.Name)]
public sealed class CrashAndExitCodeTests : IDisposable
{
    private readonly int _exitCodeBefore = Environment.ExitCode;

    public CrashAndExitCodeTests() => Environment.ExitCode = 0;

    public void Dispose() => Environment.ExitCode = _exitCodeBefore;

    [Fact]
    public async Task Crash_UnsupervisedServiceInTheTree_StopsTheHostWithExitCodeOne()
    {
        var recorder = new Recorder();
        var leaf = new Probe("leaf", recorder);
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => new Probe("app", recorder, new Probe("middle", recorder, leaf)));
        using var host = builder.Build();
        await host.StartAsync().Within();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);

        leaf.Crash(new InvalidOperationException("disk full"));
        await host.WaitForShutdownAsync().Within();

        Assert.Equal(1, Environment.ExitCode);
        Assert.True(lifetime.ApplicationStopped.IsCancellationRequested);
        var app = host.Services.GetRequiredService<Probe>();
        Assert.True(app.IsCrashed);
        Assert.Contains("app.shutdown", recorder.Events);
        Assert.Contains("leaf.shutdown", recorder.Events);
    }

    [Fact]
    public async Task Crash_CustomExitCode_IsUsed()
    {
        var app = new Probe("app", new Recorder());
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => app, o => o.CrashExitCode = 70);
        using var host = builder.Build();
        await host.StartAsync().Within();

        app.Crash(new InvalidOperationException("boom"));
        await host.WaitForShutdownAsync().Within();

        Assert.Equal(70, Environment.ExitCode);
    }

    [Fact]
    public async Task Crash_SupervisedService_IsRestartedAndTheHostKeepsRunning()
    {
        var recorder = new Recorder();
        var worker = new Probe("worker", recorder);
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => new OneForOneSupervisor([worker]));
        using var host = builder.Build();
        await host.StartAsync().Within();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        worker.Crash(new InvalidOperationException("transient"));
        await worker.Restarted.Task.Within();

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.Equal(0, Environment.ExitCode);
        await host.StopAsync().Within();
        Assert.Equal(0, Environment.ExitCode);
    }

    [Fact]
    public async Task StopAsync_TreeStopsByItself_StopsTheHostWithExitCodeZero()
    {
        var app = new Probe("app", new Recorder());
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => app);
        using var host = builder.Build();
        await host.StartAsync().Within();

        await app.StopAsync().Within();
        await host.WaitForShutdownAsync().Within();

        Assert.Equal(0, Environment.ExitCode);
        Assert.Equal(ServiceState.Shutdown, app.State);
    }

    [Fact]
    public async Task StopAsync_TreeStopsByItselfWhenToldNotTo_LeavesTheHostRunning()
    {
        var app = new Probe("app", new Recorder());
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => app, o => o.StopApplicationWhenStopped = false);
        using var host = builder.Build();
        await host.StartAsync().Within();
        var hosted = (ModeHostedService)host.Services.GetRequiredService<ModeHostedService>();

        await app.StopAsync().Within();
        await hosted.Watch.Within();

        Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        await host.StopAsync().Within();
    }

    [Fact]
    public async Task StopAsync_HostStopsAHealthyTree_LeavesTheExitCodeAlone()
    {
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => new Probe("app", new Recorder()));
        using var host = builder.Build();
        await host.StartAsync().Within();

        await host.StopAsync().Within();

        Assert.Equal(0, Environment.ExitCode);
    }
}
