using Mode.Testing;

namespace Mode.Runtime.ConcurrencyTests;

/// <summary>What the probes of one tree saw: hooks per service, background work alive, timer ticks.</summary>
internal sealed class Tracker
{
    private int _liveTasks;
    private long _ticks;

    public int LiveTasks => Volatile.Read(ref _liveTasks);

    public long Ticks => Interlocked.Read(ref _ticks);

    public List<string> Violations { get; } = [];

    public void TaskEntered() => Interlocked.Increment(ref _liveTasks);

    public void TaskLeft() => Interlocked.Decrement(ref _liveTasks);

    public void Ticked() => Interlocked.Increment(ref _ticks);

    public void Violation(string what)
    {
        lock (Violations)
        {
            Violations.Add(what);
        }
    }
}

/// <summary>Counts its hooks: every OnStartAsync must be followed by exactly one OnStopAsync.</summary>
internal interface IProbe : IService
{
    int Starts { get; }

    int MatchedStops { get; }

    bool Live { get; }
}

/// <summary>Shared bookkeeping of a probe's hooks (a start opens a run, the stop hook closes it).</summary>
internal sealed class HookLedger(string label, Tracker tracker)
{
    private int _starts;
    private int _matchedStops;
    private int _live;

    public int Starts => Volatile.Read(ref _starts);

    public int MatchedStops => Volatile.Read(ref _matchedStops);

    public bool Live => Volatile.Read(ref _live) != 0;

    public void Started()
    {
        Interlocked.Increment(ref _starts);
        if (Interlocked.Exchange(ref _live, 1) != 0)
        {
            tracker.Violation($"{label}: OnStartAsync ran again before its OnStopAsync");
        }
    }

    public void Stopped()
    {
        if (Interlocked.Exchange(ref _live, 0) != 0)
        {
            Interlocked.Increment(ref _matchedStops);
        }
    }
}

/// <summary>A service with a [Task] that runs until cancelled and a 1-second [Timer].</summary>
internal sealed class Probe(string label, Tracker tracker) : Service, IProbe
{
    private readonly HookLedger _ledger = new(label, tracker);

    public override string Label => label;

    public int Starts => _ledger.Starts;

    public int MatchedStops => _ledger.MatchedStops;

    public bool Live => _ledger.Live;

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _ledger.Started();
        return default;
    }

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        _ledger.Stopped();
        return default;
    }

    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        wiring.AddTask(label + ".work", static (s, ct) => new ValueTask(((Probe)s).WorkAsync(ct)));
        wiring.AddTimer(label + ".tick", 1, static (s, _) =>
        {
            ((Probe)s).Tick();
            return default;
        });
    }

    private void Tick() => tracker.Ticked();

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        tracker.TaskEntered();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            tracker.TaskLeft();
        }
    }
}

/// <summary>A <see cref="ServiceThread"/> with the same [Task] and [Timer] as <see cref="Probe"/>.</summary>
internal sealed class ThreadProbe(string label, Tracker tracker) : ServiceThread, IProbe
{
    private readonly HookLedger _ledger = new(label, tracker);

    public override string Label => label;

    public int Starts => _ledger.Starts;

    public int MatchedStops => _ledger.MatchedStops;

    public bool Live => _ledger.Live;

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _ledger.Started();
        return default;
    }

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        _ledger.Stopped();
        return default;
    }

    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        wiring.AddTask(label + ".work", static async (s, ct) =>
        {
            var self = (ThreadProbe)s;
            self._tracker.TaskEntered();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                self._tracker.TaskLeft();
            }
        });
        wiring.AddTimer(label + ".tick", 1, static (s, _) =>
        {
            ((ThreadProbe)s)._tracker.Ticked();
            return default;
        });
    }

    private Tracker _tracker => tracker;
}

/// <summary>
/// The tree the operations run on: root → (a, supervisor → (b), thread t), and c, a runtime
/// dependency the operations add and remove. Every service runs on one manual clock.
/// </summary>
internal sealed class ProbeTree
{
    public ProbeTree()
    {
        Tracker = new Tracker();
        Root = new Probe("root", Tracker) { TimeProvider = Clock };
        A = new Probe("a", Tracker);
        B = new Probe("b", Tracker);
        Supervisor = new OneForOneSupervisor([B], maxRestarts: 1_000);
        T = new ThreadProbe("t", Tracker);
        C = new Probe("c", Tracker);
        Root.AddDependency(A);
        Root.AddDependency(Supervisor);
        Root.AddDependency(T);
    }

    public VirtualClock Clock { get; } = new();

    public Tracker Tracker { get; }

    public Probe Root { get; }

    public Probe A { get; }

    public Probe B { get; }

    public OneForOneSupervisor Supervisor { get; }

    public ThreadProbe T { get; }

    public Probe C { get; }

    public IEnumerable<IProbe> Probes => [Root, A, B, T, C];
}
