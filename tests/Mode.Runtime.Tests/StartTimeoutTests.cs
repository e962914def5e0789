using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

/// <summary><see cref="Service.StartTimeout"/>, driven by a manual clock.</summary>
public class StartTimeoutTests
{
    [Fact]
    public async Task StartTimeout_Expires_FailsNamingTheServiceAndHookAndStopsWhatStartedInReverse()
    {
        var clock = new VirtualClock();
        var recorder = new Recorder();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var b = new RecordingService("B", recorder);
        var stuck = new RecordingService("STUCK", recorder)
        {
            OnStart = async _ => { entered.TrySetResult(); await Task.Delay(Timeout.Infinite, CancellationToken.None); },
        };
        var root = new RecordingService("ROOT", recorder, b, stuck) { TimeProvider = clock, StartTimeout = TimeSpan.FromSeconds(5) };

        var start = root.StartAsync();
        await entered.Task.Within();
        await clock.WaitForArmedTimersAsync(1).Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(4.999));
        Assert.False(start.IsCompleted);
        clock.AdvanceStepwise(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => start.Within());
        Assert.Equal("Service 'STUCK' did not start within 5 s: it was in OnStartAsync.", error.Message);
        Assert.Equal(["ROOT on_stop", "STUCK on_stop", "B on_stop"], recorder.Matching("on_stop"));
        Assert.All([root, b, stuck], s => Assert.Equal(ServiceState.Shutdown, s.State));
        Assert.Equal(TimeSpan.FromSeconds(5), stuck.StartTimeout);
    }

    [Fact]
    public async Task StartTimeout_HookHonoursItsToken_TheTokenIsCancelledWhenItExpires()
    {
        var clock = new VirtualClock();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new RecordingService("S", new Recorder())
        {
            TimeProvider = clock,
            StartTimeout = TimeSpan.FromSeconds(1),
            OnStart = async ct =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    cancelled.TrySetResult();
                    throw;
                }
            },
        };

        var start = service.StartAsync();
        await clock.WaitForArmedTimersAsync(1).Within();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => start.Within());
        await cancelled.Task.Within();
        Assert.Equal(ServiceState.Shutdown, service.State);
    }

    [Fact]
    public async Task StartTimeout_NotExpired_CostsNothingAndLeavesNoTimer()
    {
        var clock = new VirtualClock();
        var service = new RecordingService("S", new Recorder(), new RecordingService("C", new Recorder()))
        {
            TimeProvider = clock,
            StartTimeout = TimeSpan.FromSeconds(1),
        };

        await service.StartAsync().Within();

        Assert.Equal(ServiceState.Running, service.State);
        Assert.Equal(0, clock.ArmedTimers);
        await service.StopAsync().Within();
    }

    [Fact]
    public void StartTimeout_Default_IsNoneAndItRejectsZero()
    {
        var service = new RecordingService("S", new Recorder());

        Assert.Null(service.StartTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => service.StartTimeout = TimeSpan.Zero);
    }
}
