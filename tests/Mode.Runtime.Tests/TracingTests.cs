using System.Collections.Concurrent;
using System.Diagnostics;
using Mode.Diagnostics;
using Mode.Runtime.Tests.Support;
using Mode.TestKit;

namespace Mode.Runtime.Tests;

/// <summary>
/// An <see cref="ActivityListener"/> is process-wide: these tests run alone, after the parallel ones,
/// so that no other test's services record spans into them and "nothing listens" really holds.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing";
}

/// <summary>The start-up and shut-down spans of the <c>Mode</c> activity source.</summary>
[Collection(TracingCollection.Name)]
public sealed class TracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Activity>> _awaited = new();
    private ActivityListener? _listener;

    public void Dispose() => _listener?.Dispose();

    [Fact]
    public async Task Start_Tree_OneSpanPerServiceNestedAsTheTree()
    {
        Listen();
        var recorder = new Recorder();
        var leaf = new RecordingService("trace-leaf", recorder);
        var left = new RecordingService("trace-left", recorder, leaf);
        var right = new RecordingService("trace-right", recorder);
        var root = new RecordingService("trace-root", recorder, left, right);

        await root.StartAsync().Within();
        try
        {
            var rootSpan = Span("start trace-root");
            var leftSpan = Span("start trace-left");
            Assert.Null(rootSpan.Parent);
            Assert.Same(rootSpan, leftSpan.Parent);
            Assert.Same(leftSpan, Span("start trace-leaf").Parent);
            Assert.Same(rootSpan, Span("start trace-right").Parent);
            Assert.All(_spans, s => Assert.Equal(rootSpan.TraceId, s.TraceId));
            Assert.All(_spans, s => Assert.Equal(ActivityKind.Internal, s.Kind));

            Assert.Equal("trace-left", leftSpan.GetTagItem(ModeActivities.ServiceTag));
            Assert.Equal(typeof(RecordingService).FullName, leftSpan.GetTagItem(ModeActivities.ServiceTypeTag));
            Assert.Equal(["OnFirstStartAsync", "OnStartAsync", "children", "OnStartedAsync"], leftSpan.Events.Select(static e => e.Name));
            Assert.Equal(ActivityStatusCode.Unset, rootSpan.Status);

            // The children start inside the parent's span, after its OnStartAsync, before its OnStartedAsync.
            var children = rootSpan.Events.Single(static e => e.Name == "children").Timestamp;
            var started = rootSpan.Events.Single(static e => e.Name == "OnStartedAsync").Timestamp;
            Assert.InRange(leftSpan.StartTimeUtc, children.UtcDateTime, started.UtcDateTime);
            Assert.InRange(leftSpan.StartTimeUtc + leftSpan.Duration, children.UtcDateTime, started.UtcDateTime);
        }
        finally
        {
            await root.StopAsync().Within();
        }
    }

    [Fact]
    public async Task Stop_Tree_StopSpansNestedAsTheTreeWithTheirPhases()
    {
        var recorder = new Recorder();
        var child = new RecordingService("trace-child", recorder);
        var root = new RecordingService("trace-root", recorder, child);
        root.AddContext(new MemoryStream());
        await root.StartAsync().Within();
        Listen();

        await root.StopAsync().Within();

        var rootSpan = Span("stop trace-root");
        Assert.Null(rootSpan.Parent);
        Assert.Same(rootSpan, Span("stop trace-child").Parent);
        Assert.Equal(["OnStopAsync", "children", "background work", "contexts", "OnShutdownAsync"], rootSpan.Events.Select(static e => e.Name));
        Assert.Equal(["OnStopAsync", "background work", "OnShutdownAsync"], Span("stop trace-child").Events.Select(static e => e.Name));
        Assert.DoesNotContain(_spans, static s => s.DisplayName.StartsWith("start ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_HookThrows_ExceptionRecordedWithErrorStatusUpTheTree()
    {
        Listen();
        var recorder = new Recorder();
        var child = new RecordingService("trace-child", recorder)
        {
            OnStart = static _ => throw new InvalidOperationException("no port"),
        };
        var root = new RecordingService("trace-root", recorder, child);

        await Assert.ThrowsAsync<InvalidOperationException>(() => root.StartAsync().Within());
        await root.StopAsync().Within();

        foreach (var name in new[] { "start trace-child", "start trace-root" })
        {
            var span = Span(name);
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal("no port", span.StatusDescription);
            var exception = Assert.Single(span.Events, static e => e.Name == "exception");
            var tags = exception.Tags.ToDictionary(static t => t.Key, static t => t.Value);
            Assert.Equal(typeof(InvalidOperationException).FullName, tags["exception.type"]);
            Assert.Equal("no port", tags["exception.message"]);
            Assert.Contains("no port", (string)tags["exception.stacktrace"]!, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Span("start trace-root").Events, static e => e.Name == "OnStartedAsync");
        Assert.Equal(ActivityStatusCode.Unset, Span("stop trace-child").Status);
    }

    [Fact]
    public async Task Stop_HookThrows_ExceptionRecordedWithErrorStatus()
    {
        var recorder = new Recorder();
        var service = new RecordingService("trace-failing-stop", recorder)
        {
            OnStop = static _ => throw new TimeoutException("stuck"),
        };
        await service.StartAsync().Within();
        Listen();

        await Assert.ThrowsAsync<TimeoutException>(() => service.StopAsync().Within());

        var span = Span("stop trace-failing-stop");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("stuck", span.StatusDescription);
        Assert.Single(span.Events, static e => e.Name == "exception");
        Assert.Contains(span.Events, static e => e.Name == "OnShutdownAsync"); // the stop went on
    }

    [Fact]
    public async Task Supervisor_RestartsCrashedService_RestartSpanHoldsItsStopAndStart()
    {
        var recorder = new Recorder();
        var worker = new RecordingService("trace-worker", recorder);
        var supervisor = new OneForOneSupervisor([worker]);
        await supervisor.StartAsync().Within();
        Listen();
        var restarted = Awaited("restart trace-worker");

        worker.Crash(new InvalidOperationException("boom"));
        var restart = await restarted.Within();

        try
        {
            // The supervisor restarts from its own background task: a trace of its own.
            Assert.Null(restart.Parent);
            Assert.Equal("trace-worker", restart.GetTagItem(ModeActivities.ServiceTag));
            Assert.Equal(ActivityStatusCode.Unset, restart.Status);
            Assert.Same(restart, Span("stop trace-worker").Parent);
            Assert.Same(restart, Span("start trace-worker").Parent);
            Assert.Equal(1, worker.RestartCount);
        }
        finally
        {
            await supervisor.StopAsync().Within();
        }
    }

    [Fact]
    public async Task Supervisor_ReplacesCrashedService_RestartSpanHoldsTheOldStopAndTheNewStart()
    {
        var recorder = new Recorder();
        var worker = new RecordingService("trace-worker", recorder);
        var fresh = new RecordingService("trace-fresh", recorder);
        var supervisor = new OneForOneSupervisor([worker], replacement: (_, _) => Task.FromResult<IService>(fresh));
        await supervisor.StartAsync().Within();
        Listen();
        var restarted = Awaited("restart trace-worker");

        worker.Crash(new InvalidOperationException("boom"));
        var restart = await restarted.Within();

        try
        {
            Assert.Same(restart, Span("stop trace-worker").Parent);
            Assert.Same(restart, Span("start trace-fresh").Parent);
            Assert.Same(fresh, Assert.Single(supervisor.Services));
        }
        finally
        {
            await supervisor.StopAsync().Within();
        }
    }

    [Fact]
    public async Task Restart_Fails_RestartSpanHasErrorStatus()
    {
        var recorder = new Recorder();
        var service = new RecordingService("trace-restart", recorder);
        await service.StartAsync().Within();
        service.OnStart = static _ => throw new InvalidOperationException("still broken");
        Listen();

        await Assert.ThrowsAsync<InvalidOperationException>(() => service.RestartAsync().Within());
        await service.StopAsync().Within();

        var restart = Span("restart trace-restart");
        Assert.Equal(ActivityStatusCode.Error, restart.Status);
        Assert.Same(restart, Span("start trace-restart").Parent);
        Assert.Equal(ActivityStatusCode.Error, Span("start trace-restart").Status);
    }

    [Fact]
    public async Task BackgroundWork_StartedDuringTheStart_DoesNotRunUnderTheStartSpan()
    {
        Listen();
        var seen = new ConcurrentDictionary<string, Activity?>();
        var taskRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timerRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var futureRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = new HandWiredService
        {
            TaskBody = async (_, _) =>
            {
                await Task.Yield();
                seen["task"] = Activity.Current;
                taskRan.TrySetResult();
            },
        };
        var timer = new ExecFirstTimer
        {
            TimeProvider = new ManualTimeProvider(),
            Body = (_, _) =>
            {
                seen.TryAdd("timer", Activity.Current);
                timerRan.TrySetResult();
                return default;
            },
        };
        var root = new RecordingService("trace-root", new Recorder(), task, timer);
        root.OnStart = _ =>
        {
            seen["hook"] = Activity.Current;
            root.AddFuture(
                async _ =>
                {
                    await Task.Yield();
                    seen["future"] = Activity.Current;
                    futureRan.TrySetResult();
                },
                "future");
            return default;
        };

        await root.StartAsync().Within();
        await Task.WhenAll(taskRan.Task, timerRan.Task, futureRan.Task).Within();
        await root.StopAsync().Within();

        // The hook runs inside its start span; the work it and the start begin does not.
        Assert.Same(Span("start trace-root"), seen["hook"]);
        Assert.Null(seen["task"]);
        Assert.Null(seen["timer"]);
        Assert.Null(seen["future"]);
    }

    [Fact]
    public async Task ServiceThread_ChildOnItsOwnThread_StartAndStopSpansNestUnderTheParents()
    {
        Listen();
        var onThread = new TracedThread();
        var root = new RecordingService("trace-root", new Recorder(), onThread);

        await root.StartAsync().Within();
        await root.StopAsync().Within();

        Assert.Same(Span("start trace-root"), Span("start trace-thread").Parent);
        Assert.Same(Span("stop trace-root"), Span("stop trace-thread").Parent);
        Assert.NotEqual(Environment.CurrentManagedThreadId, onThread.HookThread);
    }

    [Fact]
    public async Task NothingListens_NoSpanAndNoAmbientActivityInTheHooks()
    {
        // Nothing listens to any source here (this collection runs alone).
        var seen = new List<Activity?>();
        var service = new RecordingService("trace-unheard", new Recorder())
        {
            OnStart = _ =>
            {
                seen.Add(Activity.Current);
                return default;
            },
        };

        Assert.False(ModeTracing.IsListening);
        await service.StartAsync().Within();
        await service.RestartAsync().Within();
        await service.StopAsync().Within();

        Assert.Equal([null, null], seen);
    }

    [Fact]
    public async Task ListenerSamplesNothing_NoSpanIsRecorded()
    {
        var sampled = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == ModeActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) =>
            {
                Interlocked.Increment(ref sampled);
                return ActivitySamplingResult.None;
            },
        };
        ActivitySource.AddActivityListener(listener);
        Activity? seen = null;
        var service = new RecordingService("trace-unsampled", new Recorder())
        {
            OnStart = _ =>
            {
                seen = Activity.Current;
                return default;
            },
        };

        await service.StartAsync().Within();
        await service.StopAsync().Within();

        Assert.Null(seen);
        Assert.Equal(2, sampled); // asked once for the start and once for the stop, and told no
    }

    private void Listen()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == ModeActivities.SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem(ModeActivities.ServiceTag) is string label && label.StartsWith("trace-", StringComparison.Ordinal))
                {
                    _spans.Enqueue(activity);
                    if (_awaited.TryGetValue(activity.DisplayName, out var awaited))
                    {
                        awaited.TrySetResult(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private Task<Activity> Awaited(string name) =>
        _awaited.GetOrAdd(name, static _ => new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private Activity Span(string name) => Assert.Single(_spans, s => s.DisplayName == name);

    private sealed class TracedThread : ServiceThread
    {
        public int HookThread { get; private set; }

        public override string Label => "trace-thread";

        protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            HookThread = Environment.CurrentManagedThreadId;
            return default;
        }
    }
}
