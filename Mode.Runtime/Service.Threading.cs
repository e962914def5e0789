namespace Mode;

/// <summary>Which lifecycle operation <see cref="Service.RunLifecycleAsync"/> is asked to run.</summary>
internal enum LifecycleOperation
{
    /// <summary>The start (<c>StartCoreAsync</c>).</summary>
    Start,

    /// <summary>The stop (<c>StopCoreAsync</c>); a <see cref="ServiceThread"/> ends its thread after it.</summary>
    Stop,

    /// <summary><c>OnRestartAsync</c> between the stop and the start of a restart.</summary>
    Restart,
}

public abstract partial class Service
{
    private static readonly Func<Service, CancellationToken, Task> s_startCore = static (s, ct) => s.StartCoreAsync(ct);
    private static readonly Func<Service, CancellationToken, Task> s_stopCore = static (s, ct) => s.StopCoreAsync(ct);
    private static readonly Func<Service, CancellationToken, Task> s_restartHook = static (s, ct) => s.OnRestartAsync(ct).AsTask();

    /// <summary>
    /// Runs one lifecycle operation where this service's lifecycle lives: inline for a plain service;
    /// on its own thread for a <see cref="ServiceThread"/>, whose returned task then completes off
    /// that thread so the caller's continuation never runs on it.
    /// </summary>
    internal virtual Task RunLifecycleAsync(LifecycleOperation operation, Func<Service, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        body(this, cancellationToken);

    /// <summary>
    /// Runs in a stop right after <see cref="OnStopAsync"/>, before the children stop (a
    /// <see cref="ServiceThread"/>'s <c>OnThreadStopAsync</c>). An exception is rethrown at the end
    /// of the stop, as one of <see cref="OnStopAsync"/> is.
    /// </summary>
    internal virtual ValueTask OnStopCoreAsync(CancellationToken cancellationToken) => default;
}
