using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.Support;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class BlockingDetectorTests
{
    /// <summary>A loop the test runs by hand: not running it is "being blocked".</summary>
    private sealed class ManualLoop : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();

        public int Pending => _queue.Count;

        public override void Post(SendOrPostCallback d, object? state)
        {
            lock (_queue)
            {
                _queue.Enqueue((d, state));
            }
        }

        public void RunPending()
        {
            while (true)
            {
                (SendOrPostCallback Callback, object? State) item;
                lock (_queue)
                {
                    if (_queue.Count == 0)
                    {
                        return;
                    }

                    item = _queue.Dequeue();
                }

                item.Callback(item.State);
            }
        }
    }

    private static (BlockingDetector Detector, ManualLoop Loop, VirtualClock Clock, CapturingLoggerFactory Logs) Create()
    {
        var clock = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var detector = new BlockingDetector(TimeSpan.FromSeconds(10), watchThreadPool: false) { TimeProvider = clock, LoggerFactory = logs };
        var loop = new ManualLoop();
        detector.Watch(loop, "Webserver loop");
        return (detector, loop, clock, logs);
    }

    [Fact]
    public void HealthyLoop_IsNeverReported()
    {
        var (detector, loop, clock, logs) = Create();

        for (var i = 0; i < 20; i++)
        {
            detector.CheckNow();
            loop.RunPending();
            clock.AdvanceStepwise(TimeSpan.FromSeconds(2.5));
        }

        Assert.Equal(0, detector.Detections);
        Assert.DoesNotContain(logs.Entries, e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public void BlockedLoop_IsReportedOncePerEpisodeWithHowLong()
    {
        var (detector, loop, clock, logs) = Create();
        detector.CheckNow();

        clock.AdvanceStepwise(TimeSpan.FromSeconds(9));
        detector.CheckNow();
        Assert.Equal(0, detector.Detections);
        clock.AdvanceStepwise(TimeSpan.FromSeconds(2));
        detector.CheckNow();
        detector.CheckNow();

        Assert.Equal(1, detector.Detections);
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("Webserver loop blocked for 11.0 s", warning.Message, StringComparison.Ordinal);
        Assert.Contains("thread pool:", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, loop.Pending);
    }

    [Fact]
    public void BlockedAgainAfterRecovering_IsASecondEpisode()
    {
        var (detector, loop, clock, _) = Create();
        detector.CheckNow();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        detector.CheckNow();

        loop.RunPending();
        detector.CheckNow();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        detector.CheckNow();

        Assert.Equal(2, detector.Detections);
    }

    [Fact]
    public async Task Report_NamesTheServicesInsideAHook()
    {
        var (detector, _, clock, _) = Create();
        var inHook = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new RecordingService("SlowStarter", new Recorder())
        {
            OnStart = async _ => { inHook.TrySetResult(); await release.Task; },
        };
        var root = new RecordingService("ROOT", new Recorder(), detector, slow);
        string? report = null;
        detector.Detected += r => report = r;
        var start = root.StartAsync();
        await inHook.Task.Within();

        detector.CheckNow();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        detector.CheckNow();

        Assert.NotNull(report);
        Assert.Contains("SlowStarter: OnStartAsync", report, StringComparison.Ordinal);
        release.SetResult();
        await start.Within();
        await root.StopAsync().Within();
    }

    [Fact]
    public async Task StartAndStop_RunAndEndTheWatchdogWithoutDetections()
    {
        var detector = new BlockingDetector(TimeSpan.FromSeconds(30));

        await detector.StartAsync().Within();
        await detector.StopAsync().Within();

        Assert.Equal(0, detector.Detections);
        Assert.Equal(TimeSpan.FromSeconds(30), detector.Timeout);
    }

    [Fact]
    public void Unwatch_StopsProbingTheLoop()
    {
        var (detector, loop, clock, _) = Create();

        detector.Unwatch(loop);
        detector.CheckNow();
        clock.AdvanceStepwise(TimeSpan.FromSeconds(20));
        detector.CheckNow();

        Assert.Equal(0, loop.Pending);
        Assert.Equal(0, detector.Detections);
    }
}
