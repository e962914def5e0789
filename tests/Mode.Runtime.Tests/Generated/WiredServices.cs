namespace Mode.Runtime.Tests.Generated;

/// <summary>A thread-safe, ordered record of what the services did.</summary>
public sealed class EventLog
{
    private readonly object _lock = new();
    private readonly List<string> _events = [];

    public void Add(string e)
    {
        lock (_lock)
        {
            _events.Add(e);
        }
    }

    public List<string> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }
}

/// <summary>A child with no generated wiring: it only records its hooks.</summary>
public sealed class RecordingChild(string name, EventLog log) : Service
{
    public string Name { get; } = name;

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        log.Add(Name + ":OnStart");
        return default;
    }

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        log.Add(Name + ":OnStop");
        return default;
    }
}

/// <summary>
/// Wired by the generator: two dependencies (declared in an order that ordinal sorting would
/// reverse), a background task, a timer and an exec-first timer.
/// </summary>
public partial class WiredService : Service
{
    private readonly EventLog _log;
    private readonly List<TimeSpan> _ticks = [];
    private readonly DateTimeOffset _created;
    private int _fastRuns;

    [DependsOn]
    private readonly RecordingChild _zeta;

    public WiredService(EventLog log, TimeProvider clock)
    {
        _log = log;
        TimeProvider = clock;
        _created = clock.GetUtcNow();
        _zeta = new RecordingChild("zeta", log);
        Alpha = new RecordingChild("alpha", log);
    }

    [DependsOn]
    public RecordingChild Alpha { get; }

    public TaskCompletionSource TaskStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FastRan { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<TimeSpan>[] Ticks { get; } =
        [.. Enumerable.Range(0, 2).Select(static _ => new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously))];

    public int FastRuns => Volatile.Read(ref _fastRuns);

    public int TickCount
    {
        get
        {
            lock (_ticks)
            {
                return _ticks.Count;
            }
        }
    }

    protected EventLog Events => _log;

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _log.Add("parent:OnStart");
        return default;
    }

    protected override ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        _log.Add("parent:OnStarted");
        return default;
    }

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        _log.Add("parent:OnStop");
        return default;
    }

    protected override ValueTask OnShutdownAsync(CancellationToken cancellationToken)
    {
        _log.Add("parent:OnShutdown");
        return default;
    }

    [Task]
    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        _log.Add("task:start");
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetResult()))
        {
            TaskStarted.TrySetResult();
            await cancelled.Task;
        }

        _log.Add("task:cancelled");
    }

    [Timer(10)]
    private void Tick()
    {
        int count;
        var elapsed = TimeProvider.GetUtcNow() - _created;
        lock (_ticks)
        {
            _ticks.Add(elapsed);
            count = _ticks.Count;
        }

        if (count <= Ticks.Length)
        {
            Ticks[count - 1].TrySetResult(elapsed);
        }
    }

    [Timer(1000, ExecFirst = true, Name = "wired.fast")]
    private ValueTask FastAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _fastRuns);
        FastRan.TrySetResult();
        return default;
    }
}

/// <summary>All four attributes: <see cref="WiredService"/>'s wiring (through <c>base</c>) plus a cron job.</summary>
public sealed partial class WiredCronService(EventLog log, TimeProvider clock) : WiredService(log, clock)
{
    public TaskCompletionSource CronRan { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Crontab("* * * * *", TimeZone = "UTC")]
    private void Report()
    {
        Events.Add("cron:Report");
        CronRan.TrySetResult();
    }
}

/// <summary>A generator-wired cron job with a seconds field.</summary>
public sealed partial class WiredSecondsCronService : Service
{
    [Crontab("*/30 * * * * *", IncludeSeconds = true)]
    private void Poll()
    {
    }

    [Crontab("0 0 L * *")]
    private void CloseTheMonth()
    {
    }
}

/// <summary>A generator-wired timer that logs its failures and keeps its schedule.</summary>
public sealed partial class ForgivingGeneratedTimer : Service
{
    private int _ticks;

    public int Ticks => Volatile.Read(ref _ticks);

    [Timer(1, OnError = BackgroundErrorPolicy.LogAndContinue)]
    private void Tick()
    {
        if (Interlocked.Increment(ref _ticks) == 1)
        {
            throw new InvalidOperationException("first tick fails");
        }
    }
}
