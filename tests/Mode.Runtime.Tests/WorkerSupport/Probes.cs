using System.Collections.Concurrent;

namespace Mode.Runtime.Tests.WorkerSupport;

/// <summary>What the probes saw: "Label.Hook" events in order, and the thread each ran on.</summary>
public sealed class ProbeLog
{
    private readonly ConcurrentQueue<(string Event, int Thread)> _events = new();

    public void Add(string label, string hook) => _events.Enqueue(($"{label}.{hook}", Environment.CurrentManagedThreadId));

    public IReadOnlyList<string> Events => _events.Select(static e => e.Event).ToArray();

    public IReadOnlyList<string> Matching(string hook) => Events.Where(e => e.EndsWith("." + hook, StringComparison.Ordinal)).ToArray();

    public IReadOnlyList<int> Threads(string label) =>
        _events.Where(e => e.Event.StartsWith(label + ".", StringComparison.Ordinal)).Select(static e => e.Thread).ToArray();
}

/// <summary>A service that records every hook and runs optional extra code in it.</summary>
public class ProbeService(string label, ProbeLog log, params IService[] children) : Service
{
    public override string Label => label;

    public Func<ProbeService, CancellationToken, ValueTask>? Starting { get; init; }

    public Func<ProbeService, CancellationToken, ValueTask>? Started { get; init; }

    public Func<ProbeService, CancellationToken, ValueTask>? Stopping { get; init; }

    protected override IEnumerable<IService> OnInitDependencies() => children;

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "start");
        if (Starting is { } starting)
        {
            await starting(this, cancellationToken);
        }
    }

    protected override async ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "started");
        if (Started is { } started)
        {
            await started(this, cancellationToken);
        }
    }

    protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "stop");
        if (Stopping is { } stopping)
        {
            await stopping(this, cancellationToken);
        }
    }

    protected override ValueTask OnShutdownAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "shutdown");
        return default;
    }
}

/// <summary>A ServiceThread that records every hook (with its thread) and runs optional extra code.</summary>
public class ThreadProbe(string label, ProbeLog log, params IService[] children) : ServiceThread
{
    public override string Label => label;

    public Func<ThreadProbe, CancellationToken, ValueTask>? Starting { get; init; }

    public Func<ThreadProbe, CancellationToken, ValueTask>? Started { get; init; }

    public TaskCompletionSource Ticked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The service's loop, captured on its thread at start.</summary>
    public SynchronizationContext? Context { get; private set; }

    protected override IEnumerable<IService> OnInitDependencies() => children;

    protected override ValueTask OnFirstStartAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "first_start");
        return default;
    }

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "start");
        Context = SynchronizationContext.Current;
        await Task.Yield();
        log.Add(label, "start_after_yield");
        if (Starting is { } starting)
        {
            await starting(this, cancellationToken);
        }
    }

    protected override async ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "started");
        if (Started is { } started)
        {
            await started(this, cancellationToken);
        }
    }

    protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "stop");
        await Task.Yield();
    }

    protected override async ValueTask OnThreadStopAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "thread_stop");
        await Task.Yield();
    }

    protected override ValueTask OnShutdownAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "shutdown");
        return default;
    }

    protected override ValueTask OnRestartAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "restart");
        return default;
    }

    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        base.ConfigureWiring(wiring);
        wiring.AddTask("ThreadProbe.Loop", static (s, ct) => ((ThreadProbe)s).LoopAsync(ct));
        wiring.AddTimer("ThreadProbe.Tick", 1.0, static (s, _) => ((ThreadProbe)s).Tick());
    }

    private async ValueTask LoopAsync(CancellationToken cancellationToken)
    {
        log.Add(label, "task");
        await SleepAsync(TimeSpan.FromHours(1), CancellationToken.None);
        log.Add(label, "task_woken");
    }

    private ValueTask Tick()
    {
        log.Add(label, "tick");
        Ticked.TrySetResult();
        return default;
    }
}
