namespace Mode.Soak;

/// <summary>Counts what runs: background bodies alive, timer ticks, hooks.</summary>
internal sealed class Counters
{
    private int _liveTasks;
    private long _ticks;
    private int _starts;
    private int _stops;
    private int _shutdowns;

    public int LiveTasks => Volatile.Read(ref _liveTasks);

    public long Ticks => Interlocked.Read(ref _ticks);

    public int Starts => Volatile.Read(ref _starts);

    public int Stops => Volatile.Read(ref _stops);

    public int Shutdowns => Volatile.Read(ref _shutdowns);

    public void TaskEntered() => Interlocked.Increment(ref _liveTasks);

    public void TaskLeft() => Interlocked.Decrement(ref _liveTasks);

    public void Ticked() => Interlocked.Increment(ref _ticks);

    public void Started() => Interlocked.Increment(ref _starts);

    public void Stopped() => Interlocked.Increment(ref _stops);

    public void ShutDown() => Interlocked.Increment(ref _shutdowns);
}

/// <summary>
/// A service with a [Task] that waits for its stop (or ignores it) and a short [Timer]; with
/// <c>crashOnStart</c> a second task crashes it as soon as it runs.
/// </summary>
internal sealed class Worky(string label, Counters counters, bool crashOnStart = false, bool ignoreCancellation = false) : Service
{
    public override string Label => label;

    private Counters Counters => counters;

    private bool CrashesOnStart => crashOnStart;

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        counters.Started();
        return default;
    }

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        counters.Stopped();
        return default;
    }

    protected override ValueTask OnShutdownAsync(CancellationToken cancellationToken)
    {
        counters.ShutDown();
        return default;
    }

    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        wiring.AddTask(label + ".work", static (s, ct) => new ValueTask(((Worky)s).WorkAsync(ct)));
        wiring.AddTask(label + ".crash", static async (s, _) =>
        {
            if (((Worky)s).CrashesOnStart)
            {
                await Task.Yield();
                throw new InvalidOperationException("crash storm");
            }
        });
        wiring.AddTimer(label + ".tick", 0.01, static (s, _) =>
        {
            ((Worky)s).Counters.Ticked();
            return default;
        });
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        counters.TaskEntered();
        try
        {
            if (ignoreCancellation)
            {
                await Task.Delay(Timeout.Infinite, CancellationToken.None).ConfigureAwait(false);
            }

            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            counters.TaskLeft();
        }
    }
}

/// <summary>A root with three children, each with a task and a timer.</summary>
internal static class Trees
{
    public static Worky Small(Counters counters)
    {
        var root = new Worky("root", counters);
        for (var i = 0; i < 3; i++)
        {
            root.AddDependency(new Worky("child" + i, counters));
        }

        return root;
    }
}
