using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class DiagTests
{
    [Fact]
    public void SetFlag_RecordsFlagAndTransitionTimeFromTheServicesClock()
    {
        var clock = new VirtualClock();
        var service = new RecordingService("S", new Recorder()) { TimeProvider = clock };
        clock.AdvanceStepwise(TimeSpan.FromSeconds(3));

        service.Diag.SetFlag("FLUSHING");

        Assert.True(service.Diag.HasFlag("FLUSHING"));
        Assert.Equal(["FLUSHING"], service.Diag.Flags);
        Assert.Equal(clock.GetTimestamp(), service.Diag.LastTransition("FLUSHING"));
    }

    [Fact]
    public void UnsetFlag_RemovesItAndRecordsTheTransition()
    {
        var clock = new VirtualClock();
        var service = new RecordingService("S", new Recorder()) { TimeProvider = clock };
        service.Diag.SetFlag("A");
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));

        service.Diag.UnsetFlag("A");

        Assert.Empty(service.Diag.Flags);
        Assert.Equal(clock.GetTimestamp(), service.Diag.LastTransition("A"));
        Assert.Null(service.Diag.LastTransition("never"));
    }

    [Fact]
    public async Task TransitionWithAsync_FlagIsSetWhileTheTaskRunsAndClearedAfter()
    {
        var service = new RecordingService("S", new Recorder());
        var work = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var transition = service.TransitionWithAsync("COMMITTING", work.Task);
        Assert.True(service.Diag.HasFlag("COMMITTING"));
        work.SetResult(7);

        Assert.Equal(7, await transition.Within());
        Assert.False(service.Diag.HasFlag("COMMITTING"));
    }

    [Fact]
    public async Task TransitionWithAsync_TaskFails_StillClearsTheFlag()
    {
        var service = new RecordingService("S", new Recorder());

        await Assert.ThrowsAsync<FormatException>(() => service.TransitionWithAsync("X", Task.FromException(new FormatException())).Within());

        Assert.False(service.Diag.HasFlag("X"));
    }
}

public class LoggingTests
{
    [Fact]
    public async Task StartAndStop_LogModesLinesWithTheDepthPrefix()
    {
        var logs = new CapturingLoggerFactory { MinimumLevel = LogLevel.Information };
        var recorder = new Recorder();
        var webserver = new RecordingService("Webserver", recorder);
        var app = new RecordingService("AppService", recorder, webserver);
        var root = new RecordingService("Worker", recorder, app) { LoggerFactory = logs };

        await root.StartAsync().Within();
        await root.StopAsync().Within();

        Assert.Equal(
            [
                "[^Worker]: Starting...", "[^-AppService]: Starting...", "[^--Webserver]: Starting...",
                "[^Worker]: Stopping...", "[^-AppService]: Stopping...", "[^--Webserver]: Stopping...",
            ],
            logs.Lines);
    }

    [Fact]
    public async Task DebugLevel_AddsStartedShuttingDownAndStoppedLines()
    {
        var logs = new CapturingLoggerFactory();
        var service = new RecordingService("S", new Recorder()) { LoggerFactory = logs };

        await service.StartAsync().Within();
        await service.StopAsync().Within();

        Assert.Equal(
            ["[^S]: Starting...", "[^S]: Started.", "[^S]: Stopping...", "[^S]: Shutting down...", "[^S]: -Stopped!"],
            logs.Lines);
        Assert.Equal(typeof(RecordingService).FullName, logs.Entries[0].Category);
    }

    [Fact]
    public async Task MundaneLevel_ControlsTheStartingAndStoppingLevel()
    {
        var logs = new CapturingLoggerFactory();
        var service = new RecordingService("S", new Recorder()) { LoggerFactory = logs, MundaneLevel = LogLevel.Debug };

        await service.StartAsync().Within();

        Assert.Equal(LogLevel.Debug, logs.Entries.Single(e => e.Message == "Starting...").Level);
    }

    [Fact]
    public void Label_DefaultsToTheClassNameWithoutGenericArity()
    {
        Assert.Equal("Plain", new Plain().Label);
        Assert.Equal("Plain", new Plain().ShortLabel);
        Assert.Equal("Generic", new Generic<int>().Label);
        Assert.Equal("<Plain: Init>", new Plain().ToString());
    }

    private sealed class Plain : Service;

    private sealed class Generic<T> : Service;
}
