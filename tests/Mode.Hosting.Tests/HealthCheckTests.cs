using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mode.Hosting.Tests.Support;
using Mode.Testing;

namespace Mode.Hosting.Tests;

public sealed class HealthCheckTests
{
    [Fact]
    public void Evaluate_NotStarted_IsUnhealthy()
    {
        var result = ModeHealthCheck.Evaluate(new Probe("app", new Recorder()));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("app has not started.", result.Description);
    }

    [Fact]
    public async Task Evaluate_EveryServiceRunning_IsHealthyAndListsEachState()
    {
        var app = new Probe("app", new Recorder(), new Probe("a", new Recorder()), new Probe("b", new Recorder()));
        await app.StartAsync().Within();

        var result = ModeHealthCheck.Evaluate(app);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("app is running (3 services).", result.Description);
        Assert.Equal("Running", result.Data["app"]);
        Assert.Equal("Running", result.Data["app/a"]);
        Assert.Equal("Running", result.Data["app/b"]);
        await app.StopAsync().Within();
    }

    [Fact]
    public async Task Evaluate_ServiceWaitingForItsRestartBackoff_IsDegradedAndSaysSo()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var worker = new Probe("worker", new Recorder());
        var supervisor = new OneForOneSupervisor([worker])
        {
            Backoff = new RestartBackoff(TimeSpan.FromSeconds(4), jitter: 0),
        };
        var app = new Probe("app", new Recorder(), supervisor) { TimeProvider = clock, LoggerFactory = logs };
        await app.StartAsync().Within();

        worker.Crash(new InvalidOperationException("database is down"));
        await logs.WaitForAsync(e => e.Message.StartsWith("Restarting dead worker in 4.0 s (attempt 1)", StringComparison.Ordinal)).Within();
        var result = ModeHealthCheck.Evaluate(app);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("worker (Crashed, waiting to restart at 2026-01-01T00:00:04.0000000+00:00)", result.Description, StringComparison.Ordinal);
        await app.StopAsync().Within();
    }

    [Fact]
    public async Task Evaluate_SupervisedServiceCrashed_IsDegradedUntilItRunsAgain()
    {
        var worker = new Probe("worker", new Recorder());
        var supervisor = new HeldSupervisor();
        var app = new Probe("app", new Recorder(), worker);
        await app.StartAsync().Within();
        var reason = new InvalidOperationException("transient");
        worker.Supervisor = supervisor;

        worker.Crash(reason);
        var crashed = ModeHealthCheck.Evaluate(app);

        Assert.Equal(HealthStatus.Degraded, crashed.Status);
        Assert.Equal("app is running; not running: app/worker (Crashed).", crashed.Description);
        Assert.Same(reason, crashed.Exception);

        await worker.RestartAsync().Within();
        Assert.Equal(HealthStatus.Healthy, ModeHealthCheck.Evaluate(app).Status);
        await app.StopAsync().Within();
    }

    [Fact]
    public async Task Evaluate_Stopping_IsDegraded()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = new Probe("app", new Recorder())
        {
            OnStop = async _ =>
            {
                entered.TrySetResult();
                await release.Task;
            },
        };
        await app.StartAsync().Within();
        var stopping = app.StopAsync();
        await entered.Task.Within();

        var result = ModeHealthCheck.Evaluate(app);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("app is stopping.", result.Description);
        release.TrySetResult();
        await stopping.Within();
    }

    [Fact]
    public async Task Evaluate_Stopped_IsUnhealthy()
    {
        var app = new Probe("app", new Recorder());
        await app.StartAsync().Within();
        await app.StopAsync().Within();

        var result = ModeHealthCheck.Evaluate(app);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("app has stopped.", result.Description);
    }

    [Fact]
    public async Task Evaluate_Crashed_IsUnhealthyWithTheReason()
    {
        var child = new Probe("child", new Recorder());
        var app = new Probe("app", new Recorder(), child);
        await app.StartAsync().Within();
        var reason = new InvalidOperationException("disk full");

        child.Crash(reason);
        var result = ModeHealthCheck.Evaluate(app);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("app has crashed: InvalidOperationException: disk full.", result.Description);
        Assert.Same(reason, result.Exception);
        Assert.Equal("Crashed", result.Data["app/child"]);
        await app.StopAsync().Within();
    }

    [Fact]
    public async Task Evaluate_FailureStatusGiven_IsUsedForACrashedTree()
    {
        var app = new Probe("app", new Recorder());
        await app.StartAsync().Within();
        app.Crash(new InvalidOperationException("x"));

        Assert.Equal(HealthStatus.Degraded, ModeHealthCheck.Evaluate(app, HealthStatus.Degraded).Status);
        await app.StopAsync().Within();
    }

    [Fact]
    public async Task Evaluate_TwoChildrenWithOneLabel_KeepsBothInTheData()
    {
        var app = new Probe("app", new Recorder(), new Probe("twin", new Recorder()), new Probe("twin", new Recorder()));
        await app.StartAsync().Within();

        var result = ModeHealthCheck.Evaluate(app);

        Assert.Equal("Running", result.Data["app/twin"]);
        Assert.Equal("Running", result.Data["app/twin#2"]);
        await app.StopAsync().Within();
    }

    [Fact]
    public async Task CheckHealthAsync_TwoTrees_ReportsTheWorst()
    {
        var running = new Probe("running", new Recorder());
        var idle = new Probe("idle", new Recorder());
        await running.StartAsync().Within();

        var result = await new ModeHealthCheck([running, idle]).CheckHealthAsync(new HealthCheckContext()).Within();

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("running is running (1 service). idle has not started.", result.Description);
        Assert.Equal("Running", result.Data["running"]);
        Assert.Equal("Init", result.Data["idle"]);
        await running.StopAsync().Within();
    }

    [Fact]
    public async Task CheckHealthAsync_NoTree_IsUnhealthy()
    {
        var result = await new ModeHealthCheck([]).CheckHealthAsync(new HealthCheckContext()).Within();

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task AddModeHealthCheck_ThroughTheHost_FollowsTheTree()
    {
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => new Probe("app", new Recorder()));
        builder.Services.AddHealthChecks().AddModeHealthCheck(tags: ["live"]);
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var before = await health.CheckHealthAsync().Within();
        await host.StartAsync().Within();
        var running = await health.CheckHealthAsync().Within();
        await host.StopAsync().Within();
        var after = await health.CheckHealthAsync().Within();

        Assert.Equal(HealthStatus.Unhealthy, before.Entries["mode"].Status);
        Assert.Equal(HealthStatus.Healthy, running.Entries["mode"].Status);
        Assert.Equal(["live"], running.Entries["mode"].Tags);
        Assert.Equal(HealthStatus.Unhealthy, after.Entries["mode"].Status);
    }

    [Fact]
    public async Task AddModeHealthCheck_FailureStatusDegraded_ReportsDegradedForAStoppedTree()
    {
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => new Probe("app", new Recorder()));
        builder.Services.AddHealthChecks().AddModeHealthCheck("tree", HealthStatus.Degraded);
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().Within();

        Assert.Equal(HealthStatus.Degraded, report.Entries["tree"].Status);
    }

    /// <summary>A supervisor that holds the crash: the test decides when to restart.</summary>
    private sealed class HeldSupervisor : ISupervisor
    {
        public void Wakeup(IService service)
        {
        }
    }
}
