using Microsoft.Extensions.Hosting;
using Mode.Hosting.Tests.Support;
using Mode.Testing;

namespace Mode.Hosting.Tests;

public sealed class HostedServiceAdapterTests
{
    [Fact]
    public async Task StartAndStop_LifecycleHostedService_CallsEveryHookInTheHostsOrder()
    {
        var recorder = new Recorder();
        var adapter = new HostedServiceAdapter(new LifecycleHostedService(recorder));
        var app = new Probe("app", recorder, adapter, new Probe("next", recorder));

        await app.StartAsync().Within();
        await app.StopAsync().Within();

        Assert.Equal(
            [
                "app.start",
                "hosted.starting", "hosted.start", "hosted.started",
                "next.start", "next.started",
                "app.started",
                "app.stop",
                "next.stop", "next.shutdown",
                "hosted.stopping", "hosted.stop", "hosted.stopped",
                "app.shutdown",
            ],
            recorder.Events);
    }

    [Fact]
    public async Task StartAndStop_PlainHostedService_StartsAndStopsIt()
    {
        var recorder = new Recorder();
        var adapter = new HostedServiceAdapter(new RecordingHostedService("plain", recorder));

        await adapter.StartAsync().Within();
        Assert.Equal(ServiceState.Running, adapter.State);
        await adapter.StopAsync().Within();

        Assert.Equal(["plain.start", "plain.stop"], recorder.Events);
        Assert.Equal(ServiceState.Shutdown, adapter.State);
    }

    [Fact]
    public void Label_Default_IsTheHostedServiceClassName()
    {
        Assert.Equal("RecordingHostedService", new HostedServiceAdapter(new RecordingHostedService("x", new Recorder())).Label);
        Assert.Equal("GenericHostedService", new HostedServiceAdapter(new GenericHostedService<int>()).Label);
        Assert.Equal("consumer", new HostedServiceAdapter(new GenericHostedService<int>(), "consumer").Label);
    }

    [Fact]
    public async Task BackgroundService_ExecuteAsyncFails_CrashesTheAdapter()
    {
        var worker = new ControlledBackgroundService();
        var adapter = new HostedServiceAdapter(worker);
        var app = new Probe("app", new Recorder(), adapter);
        await app.StartAsync().Within();
        await worker.Running.Task.Within();
        var reason = new InvalidOperationException("queue gone");

        worker.Fail.TrySetException(reason);
        await app.WaitUntilStoppedAsync().Within();

        Assert.True(adapter.IsCrashed);
        Assert.Same(reason, adapter.CrashReason);
        Assert.True(app.IsCrashed);
        await app.StopAsync().Within();
    }

    [Fact]
    public async Task BackgroundService_Stop_CancelsExecuteAsyncWithoutACrash()
    {
        var worker = new ControlledBackgroundService();
        var adapter = new HostedServiceAdapter(worker);
        await adapter.StartAsync().Within();
        await worker.Running.Task.Within();

        await adapter.StopAsync().Within();

        Assert.True(worker.SawCancellation);
        Assert.False(adapter.IsCrashed);
        Assert.Equal(ServiceState.Shutdown, adapter.State);
    }

    [Fact]
    public async Task BackgroundService_Supervised_IsRestartedAfterAFailure()
    {
        var worker = new ControlledBackgroundService();
        var adapter = new HostedServiceAdapter(worker);
        var supervisor = new OneForOneSupervisor([adapter]);
        await supervisor.StartAsync().Within();
        await worker.Running.Task.Within();
        var restarted = worker.NextRun();

        worker.Fail.TrySetException(new InvalidOperationException("transient"));
        await restarted.Within();

        Assert.Equal(1, adapter.RestartCount);
        Assert.False(supervisor.IsCrashed);
        await supervisor.StopAsync().Within();
    }

    [Fact]
    public async Task StopAsync_HostedServiceIgnoresStop_ItsTokenIsCancelledAfterShutdownTimeout()
    {
        var clock = new VirtualClock();
        var stubborn = new StubbornHostedService();
        var adapter = new HostedServiceAdapter(stubborn) { TimeProvider = clock, ShutdownTimeout = TimeSpan.FromSeconds(5) };
        await adapter.StartAsync().Within();

        var stopping = adapter.StopAsync();
        await stubborn.StopEntered.Task.Within();
        await clock.WaitForArmedTimersAsync().Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(4));
        Assert.False(stopping.IsCompleted);
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        await stopping.Within();

        Assert.True(stubborn.StopToken.IsCancellationRequested);
        Assert.Equal(ServiceState.Shutdown, adapter.State);
    }

    private sealed class LifecycleHostedService(Recorder recorder) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken) => Record("starting");

        public Task StartAsync(CancellationToken cancellationToken) => Record("start");

        public Task StartedAsync(CancellationToken cancellationToken) => Record("started");

        public Task StoppingAsync(CancellationToken cancellationToken) => Record("stopping");

        public Task StopAsync(CancellationToken cancellationToken) => Record("stop");

        public Task StoppedAsync(CancellationToken cancellationToken) => Record("stopped");

        private Task Record(string hook)
        {
            recorder.Add($"hosted.{hook}");
            return Task.CompletedTask;
        }
    }

    private sealed class GenericHostedService<T> : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Runs until stopped, or fails when the test completes <see cref="Fail"/>.</summary>
    private sealed class ControlledBackgroundService : BackgroundService
    {
        private TaskCompletionSource _nextRun = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Running { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Fail { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool SawCancellation { get; private set; }

        /// <summary>Completes when ExecuteAsync runs again (after a restart).</summary>
        public Task NextRun() => _nextRun.Task;

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var fail = Fail;
            var thisRun = _nextRun;
            _nextRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            thisRun.TrySetResult();
            Running.TrySetResult();
            try
            {
                await fail.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                SawCancellation = true;
                throw;
            }
            finally
            {
                Fail = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>A hosted service whose stop waits until its token is cancelled.</summary>
    private sealed class StubbornHostedService : IHostedService
    {
        public TaskCompletionSource StopEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken StopToken { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            StopToken = cancellationToken;
            StopEntered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
