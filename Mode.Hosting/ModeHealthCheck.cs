using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mode.Hosting;

/// <summary>
/// Reports the health of Mode service trees from their states, for liveness and readiness probes.
/// Registered by <see cref="ModeHealthCheckBuilderExtensions.AddModeHealthCheck"/> over every tree
/// added with <c>AddModeService</c>; usable on its own over any roots.
/// </summary>
/// <remarks>
/// <para>Per tree: <see cref="HealthStatus.Healthy"/> when the root and every service below it are
/// <see cref="ServiceState.Running"/>; <see cref="HealthStatus.Degraded"/> when the root is running but
/// some service below it is not (a supervised service crashed and is being restarted or is waiting
/// for its supervisor's <see cref="SupervisorStrategy.Backoff"/>, or one is starting or stopping), or when the root itself is starting, restarting or stopping; the failure
/// status (<see cref="HealthStatus.Unhealthy"/> unless the registration says otherwise) when the root has
/// crashed, has stopped or was never started. Over several trees the worst status wins.</para>
/// <para>The result's data maps each service's path (<see cref="Node.Path"/>) to its state; its
/// exception is the first crash reason found. The check only reads states: it is cheap, thread-safe and
/// completes synchronously.</para>
/// </remarks>
public sealed class ModeHealthCheck : IHealthCheck
{
    private readonly IEnumerable<IService> _roots;

    /// <summary>Creates a check over <paramref name="roots"/>, enumerated again at every check.</summary>
    /// <param name="roots">The root services of the trees to report on.</param>
    public ModeHealthCheck(IEnumerable<IService> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _roots = roots;
    }

    /// <summary>Reports the worst health of the trees (see the remarks of the class).</summary>
    /// <param name="context">The check's context; its registration's failure status is used for unhealthy trees.</param>
    /// <param name="cancellationToken">Not used: the check does not wait.</param>
    /// <returns>The combined result; <see cref="HealthStatus.Unhealthy"/> (the failure status) when there is no tree at all.</returns>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        var results = _roots.Select(root => Evaluate(root, failureStatus)).ToArray();
        return Task.FromResult(Combine(results, failureStatus));
    }

    /// <summary>Evaluates one tree (see the remarks of the class).</summary>
    /// <param name="root">The root of the tree.</param>
    /// <param name="failureStatus">The status of a crashed, stopped or never started tree.</param>
    /// <returns>The tree's status, a one-line description, the first crash reason and each service's state.</returns>
    public static HealthCheckResult Evaluate(IService root, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(root);
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var notRunning = new List<string>();
        var reason = root.CrashReason;
        foreach (var node in root.Beacon.Traverse())
        {
            var service = node.Data;
            var state = service.State;
            var path = UniqueKey(data, node.Path);
            data[path] = state.ToString();
            if (!ReferenceEquals(service, root) && state != ServiceState.Running)
            {
                // A service waiting for its supervisor's restart backoff says so (and when).
                notRunning.Add(service.Supervisor is SupervisorStrategy supervisor && supervisor.TryGetRestartDue(service, out var due)
                    ? $"{path} ({state}, waiting to restart at {due:O})"
                    : $"{path} ({state})");
                reason ??= service.CrashReason;
            }
        }

        var label = root.Label;
        return root.State switch
        {
            ServiceState.Running when notRunning.Count == 0 =>
                HealthCheckResult.Healthy($"{label} is running ({data.Count} {(data.Count == 1 ? "service" : "services")}).", data),
            ServiceState.Running =>
                HealthCheckResult.Degraded($"{label} is running; not running: {string.Join(", ", notRunning)}.", reason, data),
            ServiceState.Starting or ServiceState.Restarting or ServiceState.Stopping =>
                HealthCheckResult.Degraded($"{label} is {root.State.ToString().ToLowerInvariant()}.", reason, data),
            ServiceState.Crashed =>
                new HealthCheckResult(failureStatus, $"{label} has crashed: {Describe(root.CrashReason)}.", root.CrashReason, data),
            ServiceState.Shutdown =>
                new HealthCheckResult(failureStatus, $"{label} has stopped.", reason, data),
            _ =>
                new HealthCheckResult(failureStatus, $"{label} has not started.", reason, data),
        };
    }

    private static HealthCheckResult Combine(HealthCheckResult[] results, HealthStatus failureStatus)
    {
        if (results.Length == 0)
        {
            return new HealthCheckResult(failureStatus, "No Mode service is registered.");
        }

        if (results.Length == 1)
        {
            return results[0];
        }

        var status = results.Min(static r => r.Status);
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            foreach (var (key, value) in result.Data)
            {
                data[UniqueKey(data, key)] = value;
            }
        }

        var description = string.Join(" ", results.Select(static r => r.Description));
        var exception = results.Select(static r => r.Exception).FirstOrDefault(static e => e is not null);
        return new HealthCheckResult(status, description, exception, data);
    }

    private static string UniqueKey(Dictionary<string, object> data, string key)
    {
        if (!data.ContainsKey(key))
        {
            return key;
        }

        for (var i = 2; ; i++)
        {
            var candidate = $"{key}#{i}";
            if (!data.ContainsKey(candidate))
            {
                return candidate;
            }
        }
    }

    private static string Describe(Exception? reason) =>
        reason is null ? "no reason given" : $"{reason.GetType().Name}: {reason.Message}";
}
