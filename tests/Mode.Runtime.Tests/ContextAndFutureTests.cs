using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class ContextAndFutureTests
{
    private sealed class Resource(string name, Recorder recorder, bool fail = false) : IDisposable, IAsyncDisposable
    {
        public void Dispose()
        {
            recorder.Add($"dispose {name}");
            if (fail)
            {
                throw new InvalidOperationException($"{name} failed to dispose");
            }
        }

        public ValueTask DisposeAsync()
        {
            recorder.Add($"dispose async {name}");
            return default;
        }
    }

    private sealed class SyncResource(string name, Recorder recorder) : IDisposable
    {
        public void Dispose() => recorder.Add($"dispose {name}");
    }

    [Fact]
    public async Task AddContext_DisposedOnStopNewestFirstBeforeOnShutdown()
    {
        var recorder = new Recorder();
        RecordingService? service = null;
        service = new RecordingService("S", recorder)
        {
            OnStart = _ =>
            {
                service!.AddContext(new SyncResource("a", recorder));
                service.AddAsyncContext(new Resource("b", recorder));
                service.AddContext(new SyncResource("c", recorder));
                return default;
            },
        };
        await service.StartAsync().Within();

        await service.StopAsync().Within();

        Assert.Equal(["dispose c", "dispose async b", "dispose a", "S on_shutdown"], recorder.Events.SkipWhile(e => !e.StartsWith("dispose", StringComparison.Ordinal)).ToArray());
    }

    [Fact]
    public async Task AddContext_ReturnsTheContext()
    {
        var service = new RecordingService("S", new Recorder());
        var resource = new SyncResource("a", new Recorder());

        Assert.Same(resource, service.AddContext(resource));
    }

    [Fact]
    public async Task AddContext_DisposeThrows_LogsAndDisposesTheOthers()
    {
        var recorder = new Recorder();
        var logs = new CapturingLoggerFactory();
        var service = new RecordingService("S", recorder) { LoggerFactory = logs };
        service.AddContext(new SyncResource("first", recorder));
        service.AddContext(new Resource("failing", recorder, fail: true) as IDisposable);
        await service.StartAsync().Within();

        await service.StopAsync().Within();

        Assert.Contains("dispose first", recorder.Events);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task AddContext_StartFails_ContextsAreDisposed()
    {
        var recorder = new Recorder();
        RecordingService? service = null;
        service = new RecordingService("S", recorder)
        {
            OnStart = _ =>
            {
                service!.AddContext(new SyncResource("acquired", recorder));
                throw new InvalidOperationException("start failed");
            },
        };

        await Assert.ThrowsAsync<InvalidOperationException>(() => service.StartAsync().Within());

        Assert.Contains("dispose acquired", recorder.Events);
    }

    [Fact]
    public async Task AddContext_InOnStart_IsReacquiredAndReleasedOnEveryRestart()
    {
        var recorder = new Recorder();
        RecordingService? service = null;
        service = new RecordingService("S", recorder)
        {
            OnStart = _ => { recorder.Add("acquire"); service!.AddContext(new SyncResource("r", recorder)); return default; },
        };
        await service.StartAsync().Within();

        await service.RestartAsync().Within();
        await service.StopAsync().Within();

        Assert.Equal(2, recorder.Matching("acquire").Count);
        Assert.Equal(2, recorder.Matching("dispose r").Count);
    }

    [Fact]
    public async Task AddFuture_Throws_CrashesTheService()
    {
        var service = new RecordingService("S", new Recorder());
        await service.StartAsync().Within();
        var failing = new TaskCompletionSource();

        _ = service.AddFuture(failing.Task, "fetch");
        failing.SetException(new TimeoutException("remote"));
        await service.WaitUntilStoppedAsync().Within();

        Assert.True(service.IsCrashed);
        Assert.IsType<TimeoutException>(service.CrashReason);
    }

    [Fact]
    public async Task AddFuture_Factory_GetsTheStoppingTokenAndStopWaitsForIt()
    {
        var recorder = new Recorder();
        var service = new RecordingService("S", recorder);
        await service.StartAsync().Within();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _ = service.AddFuture(async ct =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                recorder.Add("future ends");
            }
        });
        await started.Task.Within();
        await service.StopAsync().Within();

        Assert.False(service.IsCrashed);
        var events = recorder.Events.ToList();
        Assert.True(events.IndexOf("future ends") < events.IndexOf("S on_shutdown"));
    }

    [Fact]
    public async Task AddFuture_ManyCompletedFutures_DoNotAccumulate()
    {
        var service = new RecordingService("S", new Recorder());
        await service.StartAsync().Within();

        for (var i = 0; i < 1000; i++)
        {
            _ = service.AddFuture(Task.CompletedTask);
        }

        Assert.Empty(service.RunningTasks);
        await service.StopAsync().Within();
    }
}
