using System.Collections.Concurrent;

namespace Mode.Runtime.Tests.Support;

/// <summary>Collects events from many services in the order they happen.</summary>
public sealed class Recorder
{
    private readonly ConcurrentQueue<string> _events = new();

    public void Add(string item) => _events.Enqueue(item);

    public IReadOnlyList<string> Events => _events.ToArray();

    public IReadOnlyList<string> Matching(string suffix) =>
        _events.Where(e => e.EndsWith(suffix, StringComparison.Ordinal)).ToArray();
}

/// <summary>
/// A service that records each hook as "name hook" and can be told to fail or block in any hook.
/// </summary>
public class RecordingService : Service
{
    private readonly string _name;
    private readonly IService[] _dependencies;

    public RecordingService(string name, Recorder recorder, params IService[] dependencies)
    {
        _name = name;
        Recorder = recorder;
        _dependencies = dependencies;
    }

    public Recorder Recorder { get; }

    public override string Label => _name;

    public Func<CancellationToken, ValueTask>? OnStart { get; set; }

    public Func<CancellationToken, ValueTask>? OnStarted { get; set; }

    public Func<CancellationToken, ValueTask>? OnStop { get; set; }

    public Func<CancellationToken, ValueTask>? OnShutdown { get; set; }

    public int InitCount { get; private set; }

    public int InitDependenciesCount { get; private set; }

    protected override void OnInit()
    {
        InitCount++;
        Recorder.Add($"{_name} on_init");
    }

    protected override IEnumerable<IService> OnInitDependencies()
    {
        InitDependenciesCount++;
        Recorder.Add($"{_name} on_init_dependencies");
        return _dependencies;
    }

    protected override ValueTask OnFirstStartAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name} on_first_start");
        return default;
    }

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name} on_start");
        if (OnStart is { } hook)
        {
            await hook(cancellationToken);
        }
    }

    protected override async ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name} on_started");
        if (OnStarted is { } hook)
        {
            await hook(cancellationToken);
        }
    }

    protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name} on_stop");
        if (OnStop is { } hook)
        {
            await hook(cancellationToken);
        }
    }

    protected override async ValueTask OnShutdownAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name} on_shutdown");
        if (OnShutdown is { } hook)
        {
            await hook(cancellationToken);
        }
    }

    protected override ValueTask OnRestartAsync(CancellationToken cancellationToken)
    {
        Recorder.Add($"{_name} on_restart");
        return default;
    }
}

/// <summary>
/// A service wired by hand (no generator): one background task given as a delegate, registered
/// exactly as a generated <c>ConfigureWiring</c> override registers it.
/// </summary>
public class HandWiredService : Service
{
    public Func<HandWiredService, CancellationToken, Task>? TaskBody { get; set; }

    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        base.ConfigureWiring(wiring);
        wiring.AddTask("HandWired.Task", static (s, ct) =>
            ((HandWiredService)s).TaskBody is { } body ? new ValueTask(body((HandWiredService)s, ct)) : default);
    }
}

/// <summary>
/// A hand-wired service with one timer. A wiring describes a type, so each interval is a subclass.
/// </summary>
public abstract class TimerService : Service
{
    private int _ticks;

    protected abstract double Seconds { get; }

    protected virtual bool ExecFirst => false;

    public int Ticks => Volatile.Read(ref _ticks);

    public Func<TimerService, CancellationToken, ValueTask>? Body { get; set; }

    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        base.ConfigureWiring(wiring);
        wiring.AddTimer(GetType().Name + ".Tick", Seconds, static (s, ct) =>
        {
            var self = (TimerService)s;
            Interlocked.Increment(ref self._ticks);
            return self.Body is { } body ? body(self, ct) : default;
        }, ExecFirst);
    }
}

public sealed class OneSecondTimer : TimerService
{
    protected override double Seconds => 1;
}

public sealed class TenMillisecondTimer : TimerService
{
    protected override double Seconds => 0.01;
}

public sealed class ExecFirstTimer : TimerService
{
    protected override double Seconds => 10;

    protected override bool ExecFirst => true;
}
