using Microsoft.Extensions.Hosting;

namespace Mode.Hosting;

/// <summary>
/// An <see cref="IHostedService"/> as a Mode service, so existing hosted services (a
/// <see cref="BackgroundService"/>, a message consumer, …) can be children in a Mode tree.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Start: <see cref="IHostedLifecycleService.StartingAsync"/> (when implemented), then
/// <see cref="IHostedService.StartAsync"/>, in <c>OnStartAsync</c>; <see cref="IHostedLifecycleService.StartedAsync"/>
/// in <c>OnStartedAsync</c>, after this service's children have started.</item>
/// <item>A <see cref="BackgroundService"/>'s <see cref="BackgroundService.ExecuteTask"/> is watched as a
/// future: when it fails, this service crashes (a supervisor may restart it); when it completes, nothing
/// happens, as in the Generic Host.</item>
/// <item>Stop: <see cref="IHostedLifecycleService.StoppingAsync"/> and <see cref="IHostedService.StopAsync"/>
/// in <c>OnStopAsync</c>; <see cref="IHostedLifecycleService.StoppedAsync"/> in <c>OnShutdownAsync</c>. Their
/// token is cancelled after <see cref="Service.ShutdownTimeout"/> (measured on <see cref="Service.TimeProvider"/>)
/// or when the stop's own token is, as the host's shutdown timeout would.</item>
/// </list>
/// </remarks>
public sealed class HostedServiceAdapter : Service
{
    private readonly string _label;

    /// <summary>Wraps <paramref name="hostedService"/>.</summary>
    /// <param name="hostedService">The hosted service to run.</param>
    /// <param name="label">The label in logs and graphs (default: the hosted service's class name).</param>
    public HostedServiceAdapter(IHostedService hostedService, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(hostedService);
        HostedService = hostedService;
        _label = label ?? ClassName(hostedService.GetType());
    }

    /// <summary>The wrapped hosted service.</summary>
    public IHostedService HostedService { get; }

    /// <inheritdoc/>
    public override string Label => _label;

    /// <inheritdoc/>
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        if (HostedService is IHostedLifecycleService lifecycle)
        {
            await lifecycle.StartingAsync(cancellationToken).ConfigureAwait(false);
        }

        await HostedService.StartAsync(cancellationToken).ConfigureAwait(false);
        if (HostedService is BackgroundService background && background.ExecuteTask is { } execute)
        {
            _ = AddFuture(execute, $"{_label}.ExecuteAsync");
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        if (HostedService is IHostedLifecycleService lifecycle)
        {
            await lifecycle.StartedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(ShutdownTimeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        if (HostedService is IHostedLifecycleService lifecycle)
        {
            await lifecycle.StoppingAsync(linked.Token).ConfigureAwait(false);
        }

        await HostedService.StopAsync(linked.Token).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async ValueTask OnShutdownAsync(CancellationToken cancellationToken)
    {
        if (HostedService is IHostedLifecycleService lifecycle)
        {
            using var timeout = new CancellationTokenSource(ShutdownTimeout, TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await lifecycle.StoppedAsync(linked.Token).ConfigureAwait(false);
        }
    }

    private static string ClassName(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }
}
