using System.Collections.Concurrent;
using System.ComponentModel;
using Mode.Background;

namespace Mode;

/// <summary>
/// What a service type contributes to the lifecycle: its background tasks, timers, cron jobs and
/// <see cref="DependsOnAttribute"/> members, as strongly typed delegates. The Mode source generator
/// fills it by overriding <see cref="Service.ConfigureWiring"/>; nothing here uses reflection.
/// </summary>
/// <remarks>
/// A wiring describes a <em>type</em>: <see cref="Service.ConfigureWiring"/> is called once per
/// concrete service type and the result is shared by every instance. The delegates receive the
/// instance as their first argument, so they must be static lambdas that depend on nothing else.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ServiceWiring
{
    private static readonly ConcurrentDictionary<Type, ServiceWiring> s_cache = new();

    private readonly List<BackgroundWork> _work = [];
    private readonly List<DependencyMember> _dependencies = [];
    private bool _frozen;

    internal ServiceWiring()
    {
    }

    /// <summary>The background tasks, timers and cron jobs, in registration order.</summary>
    internal IReadOnlyList<BackgroundWork> Work => _work;

    /// <summary>The <see cref="DependsOnAttribute"/> members, in declaration order.</summary>
    internal IReadOnlyList<DependencyMember> Dependencies => _dependencies;

    internal bool IsEmpty => _work.Count == 0 && _dependencies.Count == 0;

    /// <summary>Registers a <see cref="TaskAttribute"/> method.</summary>
    /// <param name="name">The task's name in log lines and diagnostics (<c>Class.Method</c>).</param>
    /// <param name="body">Runs the task on the given service; the token is the service's
    /// <see cref="Service.StoppingToken"/>.</param>
    /// <param name="onError">What an exception of the task does (default: crash the service).</param>
    public void AddTask(string name, Func<Service, CancellationToken, ValueTask> body, BackgroundErrorPolicy onError = BackgroundErrorPolicy.Default)
    {
        ThrowIfFrozen();
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(body);
        _work.Add(new TaskWork(name, body, onError));
    }

    /// <summary>Registers a <see cref="TimerAttribute"/> method.</summary>
    /// <param name="name">The timer's name in log lines and diagnostics.</param>
    /// <param name="intervalSeconds">The interval in seconds (finite, greater than zero).</param>
    /// <param name="body">One tick of the timer.</param>
    /// <param name="execFirst">Also run the body once right at start.</param>
    /// <param name="maxDriftCorrectionSeconds">See <see cref="TimerAttribute.MaxDriftCorrection"/>.</param>
    /// <param name="onError">What an exception of a tick does (default: crash the service).</param>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not finite and positive.</exception>
    public void AddTimer(
        string name,
        double intervalSeconds,
        Func<Service, CancellationToken, ValueTask> body,
        bool execFirst = false,
        double maxDriftCorrectionSeconds = TimerDefaults.MaxDriftCorrectionSeconds,
        BackgroundErrorPolicy onError = BackgroundErrorPolicy.Default)
    {
        ThrowIfFrozen();
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(body);
        var interval = TimerWork.ValidateInterval(intervalSeconds, nameof(intervalSeconds));
        var correction = double.IsFinite(maxDriftCorrectionSeconds) && maxDriftCorrectionSeconds >= 0
            ? TimeSpan.FromSeconds(maxDriftCorrectionSeconds)
            : TimeSpan.FromSeconds(TimerDefaults.MaxDriftCorrectionSeconds);
        _work.Add(new TimerWork(name, interval, body, execFirst, correction, onError));
    }

    /// <summary>Registers a <see cref="CrontabAttribute"/> method.</summary>
    /// <param name="name">The job's name in log lines and diagnostics.</param>
    /// <param name="expression">The cron expression.</param>
    /// <param name="timeZone">A time-zone id, or <see langword="null"/> for UTC.</param>
    /// <param name="body">One run of the job.</param>
    /// <param name="onError">What an exception of a run does (default: log it and keep the schedule).</param>
    /// <param name="includeSeconds">Whether <paramref name="expression"/> starts with a seconds field (six fields).</param>
    public void AddCrontab(
        string name,
        string expression,
        string? timeZone,
        Func<Service, CancellationToken, ValueTask> body,
        BackgroundErrorPolicy onError = BackgroundErrorPolicy.Default,
        bool includeSeconds = false)
    {
        ThrowIfFrozen();
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(body);
        // Reached only through this method, so a NativeAOT app without cron jobs trims Cronos and
        // the time-zone database reader away (CronWork is the only type that uses them).
        _work.Add(new CronWork(name, expression, timeZone, includeSeconds, body, onError));
    }

    /// <summary>Registers a <see cref="DependsOnAttribute"/> field or property.</summary>
    /// <param name="name">The member's name.</param>
    /// <param name="getter">Reads the member from the given service; a <see langword="null"/> result is skipped.</param>
    public void AddDependency(string name, Func<Service, IService?> getter)
    {
        ThrowIfFrozen();
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(getter);
        _dependencies.Add(new DependencyMember(name, getter));
    }

    internal static ServiceWiring For(Service service)
    {
        var type = service.GetType();
        if (s_cache.TryGetValue(type, out var wiring))
        {
            return wiring;
        }

        wiring = new ServiceWiring();
        service.InvokeConfigureWiring(wiring);
        wiring._frozen = true;
        return s_cache.GetOrAdd(type, wiring);
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("A ServiceWiring can only be changed inside Service.ConfigureWiring.");
        }
    }
}

/// <summary>A <see cref="DependsOnAttribute"/> member: its name and how to read it from an instance.</summary>
internal sealed record DependencyMember(string Name, Func<Service, IService?> Getter);
