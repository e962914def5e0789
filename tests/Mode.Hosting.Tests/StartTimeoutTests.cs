using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mode.Hosting.Tests.Support;
using Mode.Testing;

namespace Mode.Hosting.Tests;

/// <summary>
/// A bounded start under the Generic Host: <see cref="ModeHostedServiceOptions.StartTimeout"/> on the
/// tree, and the host's own start cancellation (what <c>HostOptions.StartupTimeout</c> does when it
/// expires), each failing a start whose hook never returns and ignores its token.
/// </summary>
public sealed class StartTimeoutTests
{
    [Fact]
    public async Task StartAsync_HostCancelsItsStart_FailsNamingTheStuckHookAndStopsWhatStarted()
    {
        var (recorder, entered, first, app) = StuckTree();
        var builder = TestHost.CreateBuilder();
        builder.Services.AddModeService(_ => app);
        using var host = builder.Build();
        using var hostStart = new CancellationTokenSource();

        var start = host.StartAsync(hostStart.Token);
        await entered.Task.Within();
        Assert.False(start.IsCompleted);
        await hostStart.CancelAsync();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => start.Within());
        Assert.Contains("'slow'", error.Message, StringComparison.Ordinal);
        Assert.Contains("OnStartAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains("HostOptions.StartupTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("first.stop", recorder.Events);
        Assert.Equal(ServiceState.Shutdown, first.State);
        Assert.NotEqual(ServiceState.Running, app.State);
    }

    [Fact]
    public async Task StartAsync_OptionsStartTimeoutExpires_FailsNamingTheStuckHookAndStopsWhatStarted()
    {
        var (recorder, entered, first, app) = StuckTree();
        var clock = new VirtualClock();
        var builder = TestHost.CreateBuilder();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddModeService(_ => app, o => o.StartTimeout = TimeSpan.FromSeconds(5));
        using var host = builder.Build();

        var start = host.StartAsync();
        await entered.Task.Within();
        await clock.WaitForArmedTimersAsync().Within(); // the start's limit
        clock.AdvanceStepwise(TimeSpan.FromSeconds(4.999));
        Assert.False(start.IsCompleted);
        clock.AdvanceStepwise(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => start.Within());
        Assert.Equal("Service 'slow' did not start within 5 s: it was in OnStartAsync.", error.Message);
        Assert.Contains("first.stop", recorder.Events);
        Assert.Equal(ServiceState.Shutdown, first.State);
    }

    [Fact]
    public async Task StartAsync_Defaults_TheTreeGetsFiveMinutesUnlessItSetItsOwn()
    {
        var recorder = new Recorder();
        var plain = new Probe("plain", recorder);
        var own = new Probe("own", recorder) { StartTimeout = TimeSpan.FromSeconds(7) };

        foreach (var app in new[] { plain, own })
        {
            var builder = TestHost.CreateBuilder();
            builder.Services.AddModeService(_ => app);
            using var host = builder.Build();
            await host.StartAsync().Within();
            await host.StopAsync().Within();
        }

        Assert.Equal(TimeSpan.FromMinutes(5), plain.StartTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), own.StartTimeout);
    }

    /// <summary>app → [first, slow]: slow's OnStartAsync never returns and ignores its token.</summary>
    private static (Recorder Recorder, TaskCompletionSource Entered, Probe First, Probe App) StuckTree()
    {
        var recorder = new Recorder();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        var first = new Probe("first", recorder);
        var slow = new Probe("slow", recorder)
        {
            OnStart = async _ =>
            {
                entered.TrySetResult();
                await never.Task;
            },
        };
        return (recorder, entered, first, new Probe("app", recorder, first, slow));
    }
}
