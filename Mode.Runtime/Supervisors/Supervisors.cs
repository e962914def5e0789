
using Mode.Logging;

namespace Mode;

/// <summary>Restarts each crashed service on its own; the others keep running (OTP's <c>one_for_one</c>).</summary>
public sealed class OneForOneSupervisor(
    IEnumerable<IService>? services = null,
    int maxRestarts = 100,
    TimeSpan? over = null,
    Func<IService, int, Task<IService>>? replacement = null)
    : SupervisorStrategy(services, maxRestarts, over, replacement)
{
    /// <inheritdoc/>
    protected override async Task RestartServicesAsync(IReadOnlyList<IService> crashed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crashed);
        foreach (var service in crashed)
        {
            if (Backoff is not null)
            {
                // Each service waits for its own delay, so one long wait never holds up another's restart.
                if (TryBeginRestart(service))
                {
                    _ = AddFuture(RestartAfterBackoffAsync(service, cancellationToken), $"restart {service.Label}");
                }

                continue;
            }

            if (!await RestartServiceAsync(service, cancellationToken).ConfigureAwait(ContinueOnCapturedContext))
            {
                return;
            }
        }
    }

    private async Task RestartAfterBackoffAsync(IService service, CancellationToken cancellationToken)
    {
        try
        {
            if (await WaitBeforeRestartAsync(service, cancellationToken).ConfigureAwait(ContinueOnCapturedContext))
            {
                await RestartServiceAsync(service, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
            }
        }
        finally
        {
            EndRestart(service);
        }
    }
}

/// <summary>
/// When one service crashes, stops all of them (in reverse order) and restarts all of them in order
/// (OTP's <c>one_for_all</c>).
/// </summary>
public sealed class OneForAllSupervisor(
    IEnumerable<IService>? services = null,
    int maxRestarts = 100,
    TimeSpan? over = null,
    Func<IService, int, Task<IService>>? replacement = null)
    : SupervisorStrategy(services, maxRestarts, over, replacement)
{
    /// <inheritdoc/>
    protected override async Task RestartServicesAsync(IReadOnlyList<IService> crashed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crashed);
        var all = Services;
        await StopServicesAsync(all, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        if (crashed.Count > 0 && !await WaitBeforeRestartAsync(crashed[0], cancellationToken).ConfigureAwait(ContinueOnCapturedContext))
        {
            return;
        }

        foreach (var service in all)
        {
            if (!await RestartServiceAsync(service, cancellationToken).ConfigureAwait(ContinueOnCapturedContext))
            {
                return;
            }
        }
    }
}

/// <summary>Gives up on crashed services: logs it (critical) and stops them; nothing is restarted.</summary>
public sealed class ForfeitOneForOneSupervisor(
    IEnumerable<IService>? services = null,
    int maxRestarts = 100,
    TimeSpan? over = null,
    Func<IService, int, Task<IService>>? replacement = null)
    : SupervisorStrategy(services, maxRestarts, over, replacement)
{
    /// <inheritdoc/>
    protected override async Task RestartServicesAsync(IReadOnlyList<IService> crashed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crashed);
        var pending = crashed.Where(static s => s.State != ServiceState.Shutdown || s.IsCrashed).ToArray();
        ServiceLog.GivingUp(Log, string.Join(", ", pending.Select(static s => s.Label)));
        await StopServicesAsync(pending, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        foreach (var service in pending)
        {
            Discard(service);
        }
    }
}

/// <summary>When one service crashes, gives up on all of them: logs it (critical) and stops them all.</summary>
public sealed class ForfeitOneForAllSupervisor(
    IEnumerable<IService>? services = null,
    int maxRestarts = 100,
    TimeSpan? over = null,
    Func<IService, int, Task<IService>>? replacement = null)
    : SupervisorStrategy(services, maxRestarts, over, replacement)
{
    /// <inheritdoc/>
    protected override async Task RestartServicesAsync(IReadOnlyList<IService> crashed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crashed);
        ServiceLog.GivingUp(Log, string.Join(", ", crashed.Select(static s => s.Label)));
        var all = Services;
        await StopServicesAsync(all, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        foreach (var service in all)
        {
            Discard(service);
        }
    }
}

/// <summary>
/// Supervises nothing: a crash of any of its services crashes the whole tree, as if unsupervised,
/// so a Worker stops everything and the process exits 1 (Mode's documented intent; there the process
/// hung, Faust #301).
/// </summary>
public sealed class CrashingSupervisor(
    IEnumerable<IService>? services = null,
    int maxRestarts = 100,
    TimeSpan? over = null,
    Func<IService, int, Task<IService>>? replacement = null)
    : SupervisorStrategy(services, maxRestarts, over, replacement)
{
    private protected override bool Intercepts => false;

    /// <inheritdoc/>
    protected override Task RestartServicesAsync(IReadOnlyList<IService> crashed, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
