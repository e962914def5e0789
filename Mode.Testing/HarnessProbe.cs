using System.Collections.Concurrent;
using Mode.Internal;

namespace Mode.Testing;

/// <summary>
/// The harness's side of the runtime's test hook: the busy count (in <see cref="IdleProbe"/>), the
/// recorded hooks, the runs of each timer and cron job, and the faults waiting to be injected.
/// </summary>
internal sealed class HarnessProbe : IdleProbe
{
    private readonly ConcurrentQueue<string> _hooks = new();
    private readonly ConcurrentDictionary<(Service Service, string Work), long> _runs = new();
    private readonly ConcurrentDictionary<(Service Service, string Work), Exception> _pendingFaults = new();
    private readonly ConcurrentDictionary<(Service Service, string Work), TaskCompletionSource<Exception>> _taskFaults = new();

    /// <summary>Every hook entered so far, as <c>Label.Hook</c>, in order.</summary>
    public IReadOnlyList<string> Hooks => _hooks.ToArray();

    public override void OnHook(Service service, string hook) => _hooks.Enqueue($"{service.Label}.{hook}");

    public override void BeforeRun(Service service, string work)
    {
        _runs.AddOrUpdate((service, work), 1, static (_, runs) => runs + 1);
        Changed();
        if (_pendingFaults.TryRemove((service, work), out var fault))
        {
            throw fault;
        }
    }

    public override Task<Exception>? TaskFault(Service service, string work)
    {
        var fault = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        _taskFaults[(service, work)] = fault;
        return fault.Task;
    }

    /// <summary>How many times the body of a timer or cron job has begun.</summary>
    public long Runs(Service service, string work) => _runs.TryGetValue((service, work), out var runs) ? runs : 0;

    /// <summary>The next run of a timer or cron job throws <paramref name="fault"/>.</summary>
    public void ArmFault(Service service, string work, Exception fault) => _pendingFaults[(service, work)] = fault;

    /// <summary>A running task ends with <paramref name="fault"/> now; <see langword="false"/> when it is not running.</summary>
    public bool FailTask(Service service, string work, Exception fault) =>
        _taskFaults.TryRemove((service, work), out var pending) && pending.TrySetResult(fault);
}
