
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
            if (!await RestartServiceAsync(service, cancellationToken).ConfigureAwait(ContinueOnCapturedContext))
            {
                return;
            }
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
        var all = Services;
        await StopServicesAsync(all, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
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
