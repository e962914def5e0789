using System.Globalization;
using System.Text;
using Mode.Logging;

namespace Mode;

/// <summary>
/// Notices when the thread pool, or a watched single-threaded loop (a <c>ServiceThread</c>'s
/// <see cref="SynchronizationContext"/>), has not run a probe within <see cref="Timeout"/>
/// (Mode's <c>BlockingDetector</c>, the runtime twin of the MODE002 analyzer). Each blocked episode
/// is logged once, as one aggregated warning: how long, which loops, which services were inside
/// which hook or task, and the thread-pool counts.
/// </summary>
/// <remarks>
/// <para>Unlike Mode it never interrupts the blocked code (Mode raises inside it from a signal
/// handler); it only reports, and counts in <see cref="Detections"/>.</para>
/// <para>Cost when nothing blocks: one probe work item per watched loop every quarter of
/// <see cref="Timeout"/>, and one dedicated watchdog thread that wakes as often. The watchdog is a
/// real thread because a starved thread pool cannot run its own alarm; it measures with the
/// service's <see cref="Service.TimeProvider"/>.</para>
/// </remarks>
public sealed class BlockingDetector : Service
{
    private readonly object _lock = new();
    private readonly List<Probe> _probes = [];
    private ManualResetEventSlim? _stop;
    private Thread? _watchdog;
    private long _detections;

    /// <summary>Creates a detector.</summary>
    /// <param name="timeout">How long a loop may go without running a probe (default 10 s, as Mode).</param>
    /// <param name="watchThreadPool">Watch the thread pool (default <see langword="true"/>).</param>
    public BlockingDetector(TimeSpan? timeout = null, bool watchThreadPool = true)
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(10);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(timeout));
        if (watchThreadPool)
        {
            _probes.Add(new Probe("thread pool", null));
        }
    }

    /// <summary>How long a loop may go without running a probe before it counts as blocked.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How many blocked episodes were detected.</summary>
    public long Detections => Interlocked.Read(ref _detections);

    /// <summary>Raised (on the watchdog thread) after each detection is logged, with the report text.</summary>
    public event Action<string>? Detected;

    /// <summary>Also watches the loop behind <paramref name="context"/> (e.g. a <c>ServiceThread</c>'s).</summary>
    /// <param name="context">The loop to post probes to.</param>
    /// <param name="name">The loop's name in reports.</param>
    public void Watch(SynchronizationContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            _probes.Add(new Probe(name, context));
        }
    }

    /// <summary>Stops watching <paramref name="context"/>.</summary>
    public void Unwatch(SynchronizationContext context)
    {
        lock (_lock)
        {
            _probes.RemoveAll(p => ReferenceEquals(p.Context, context));
        }
    }

    /// <inheritdoc/>
    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var stop = new ManualResetEventSlim(false);
        _stop = stop;
        _watchdog = new Thread(() => WatchdogLoop(stop))
        {
            IsBackground = true,
            Name = "Mode.BlockingDetector",
        };
        _watchdog.Start();
        return default;
    }

    /// <inheritdoc/>
    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        _stop?.Set();
        return default;
    }

    private void WatchdogLoop(ManualResetEventSlim stop)
    {
        var interval = Timeout / 4;
        while (!stop.Wait(interval))
        {
            CheckNow();
        }
    }

    /// <summary>
    /// One watchdog pass: reports every loop whose pending probe is older than <see cref="Timeout"/>
    /// (once per episode) and posts a new probe to every loop that has none pending.
    /// </summary>
    internal void CheckNow()
    {
        var clock = TimeProvider;
        var now = clock.GetTimestamp();
        List<(Probe Probe, TimeSpan Blocked)>? blocked = null;
        Probe[] probes;
        lock (_lock)
        {
            probes = [.. _probes];
        }

        foreach (var probe in probes)
        {
            if (probe.TryGetOverdue(clock, now, Timeout, out var elapsed))
            {
                (blocked ??= []).Add((probe, elapsed));
            }

            probe.PostIfIdle(now);
        }

        if (blocked is not null)
        {
            Interlocked.Increment(ref _detections);
            Diagnostics.ModeInstruments.Blocked(this);
            var report = Describe(blocked);
            ServiceLog.BlockingDetected(Log, Timeout, report);
            Detected?.Invoke(report);
        }
    }

    private string Describe(List<(Probe Probe, TimeSpan Blocked)> blocked)
    {
        var text = new StringBuilder();
        foreach (var (probe, elapsed) in blocked)
        {
            text.Append(CultureInfo.InvariantCulture, $"{probe.Name} blocked for {elapsed.TotalSeconds:0.0} s; ");
        }

        ThreadPool.GetAvailableThreads(out var availableWorkers, out _);
        ThreadPool.GetMaxThreads(out var maxWorkers, out _);
        text.Append(CultureInfo.InvariantCulture, $"thread pool: {ThreadPool.ThreadCount} threads, {maxWorkers - availableWorkers} busy, {ThreadPool.PendingWorkItemCount} queued");
        foreach (var node in Beacon.Root.Traverse())
        {
            if (node.Data is not Service service || ReferenceEquals(service, this))
            {
                continue;
            }

            var hook = service.CurrentHook;
            var tasks = service.RunningTasks;
            if (hook is null && tasks.Count == 0)
            {
                continue;
            }

            text.Append("; ").Append(service.Label).Append(": ");
            text.Append(hook ?? string.Empty);
            if (tasks.Count > 0)
            {
                text.Append(hook is null ? "tasks " : ", tasks ").Append(string.Join(", ", tasks));
            }
        }

        return text.ToString();
    }

    private sealed class Probe(string name, SynchronizationContext? context)
    {
        private static readonly SendOrPostCallback s_ran = static state => ((Probe)state!).Ran();
        private static readonly Action<Probe> s_ranOnPool = static probe => probe.Ran();

        private long _postedAt;
        private int _pending;
        private int _reported;

        public string Name { get; } = name;

        public SynchronizationContext? Context { get; } = context;

        public bool TryGetOverdue(TimeProvider clock, long now, TimeSpan timeout, out TimeSpan elapsed)
        {
            elapsed = default;
            if (Volatile.Read(ref _pending) == 0)
            {
                return false;
            }

            elapsed = clock.GetElapsedTime(Interlocked.Read(ref _postedAt), now);
            return elapsed >= timeout && Interlocked.Exchange(ref _reported, 1) == 0;
        }

        public void PostIfIdle(long now)
        {
            if (Interlocked.CompareExchange(ref _pending, 1, 0) != 0)
            {
                return;
            }

            Interlocked.Exchange(ref _postedAt, now);
            Volatile.Write(ref _reported, 0);
            if (Context is null)
            {
                ThreadPool.UnsafeQueueUserWorkItem(s_ranOnPool, this, preferLocal: false);
            }
            else
            {
                Context.Post(s_ran, this);
            }
        }

        private void Ran() => Volatile.Write(ref _pending, 0);
    }
}
