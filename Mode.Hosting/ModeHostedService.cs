using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mode.Hosting;

/// <summary>
/// Runs one Mode service tree as a Generic Host <see cref="IHostedLifecycleService"/>; registered by
/// <see cref="ModeServiceCollectionExtensions.AddModeService{TService}(IServiceCollection, Action{ModeHostedServiceOptions}?)"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Before the host starts any hosted service (<see cref="StartingAsync"/>), every
/// <see cref="Mode.Service"/> already in the tree that has no logger factory of its own gets the host's
/// <see cref="ILoggerFactory"/>, and, when a <see cref="TimeProvider"/> is registered in the container,
/// every one that still uses <see cref="TimeProvider.System"/> gets it. Children added later inherit them
/// from their parent as usual.</item>
/// <item>Host start → <see cref="IService.StartAsync"/>. When the start throws, what started is stopped
/// (bounded by the root's <see cref="Mode.Service.ShutdownTimeout"/>) and the exception fails the host's start.</item>
/// <item>Host stop → <see cref="IService.StopAsync"/>, in the host's reverse registration order. When the
/// host's shutdown timeout cancels the token first, a warning is logged and the stop is abandoned,
/// as the host does with a <see cref="BackgroundService"/>.</item>
/// <item>An unsupervised crash anywhere in the tree (which crashes the root) sets
/// <see cref="Environment.ExitCode"/> to <see cref="ModeHostedServiceOptions.CrashExitCode"/> and calls
/// <see cref="IHostApplicationLifetime.StopApplication"/>; the host then stops the tree.</item>
/// <item>Traces: the start and the stop are each a trace of their own, spans <c>start {Label}</c> and
/// <c>stop {Label}</c> nested as the tree is, from the activity source <c>Mode</c>
/// (<see cref="Mode.Diagnostics.ModeActivities"/>). With OpenTelemetry:
/// <c>services.AddOpenTelemetry().WithTracing(t => t.AddSource("Mode").AddOtlpExporter())</c>
/// (<c>.WithMetrics(m => m.AddMeter("Mode"))</c> for the metrics).</item>
/// </list>
/// Every method is called by the host; none of them is meant to be called directly.
/// </remarks>
public class ModeHostedService : IHostedLifecycleService
{
    private static readonly TimeSpan s_defaultStopTimeout = TimeSpan.FromSeconds(30);

    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider? _timeProvider;
    private readonly ModeHostedServiceOptions _options;
    private readonly ILogger _log;
    private int _configured;
    private int _hostStopping;
    private int _crashHandled;
    private Task? _watch;

    private protected ModeHostedService(IService service, IServiceProvider provider, ModeHostedServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        Service = service;
        _options = options;
        _lifetime = provider.GetRequiredService<IHostApplicationLifetime>();
        _loggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _timeProvider = provider.GetService<TimeProvider>();
        _log = _loggerFactory.CreateLogger(typeof(ModeHostedService).FullName!);
    }

    /// <summary>The root of the service tree this hosted service runs.</summary>
    public IService Service { get; }

    /// <summary>Completes when the crash watch ends (the tree stopped or crashed); for tests.</summary>
    internal Task Watch => _watch ?? Task.CompletedTask;

    /// <summary>Gives the tree the host's logger factory and clock (see the remarks of the class).</summary>
    /// <param name="cancellationToken">Not used: nothing here waits.</param>
    /// <returns>A completed task.</returns>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Configure();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts the tree. On failure stops what started and rethrows the start's exception as is,
    /// which fails the host's start.
    /// </summary>
    /// <param name="cancellationToken">
    /// The host's start token, passed to the start hooks. The host cancels it when
    /// <c>HostOptions.StartupTimeout</c> expires: a start still running then fails with a
    /// <see cref="TimeoutException"/> naming the service and hook it is stuck in, and what started is stopped.
    /// </param>
    /// <returns>A task that completes when the root and all its children have started.</returns>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A host older than .NET 8 does not call StartingAsync.
        Configure();
        Task? start = null;
        try
        {
            // The host cancels its start token when HostOptions.StartupTimeout expires: the start
            // ends then, even when a hook ignores the token.
            start = Service.StartAsync(cancellationToken);
            await start.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var (stuck, hook) = Service is Mode.Service root ? root.FindStuckStart() : (Service, "its start");
            var error = new TimeoutException(
                $"Mode service '{stuck.Label}' did not start before the host cancelled its start (HostOptions.StartupTimeout, or the host stopping): it was in {hook}.");
            _log.LogError(error, "Mode service {Service} failed to start; stopping what started", Service.Label);
            await StopAfterFailedStartAsync().ConfigureAwait(false);
            _ = start?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw error;
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "Mode service {Service} failed to start; stopping what started", Service.Label);
            await StopAfterFailedStartAsync().ConfigureAwait(false);
            throw;
        }

        _watch = WatchAsync();
    }

    /// <summary>Does nothing: the tree is running once <see cref="StartAsync"/> has returned.</summary>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>A completed task.</returns>
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Notes that the host is stopping, so the stop that follows is not mistaken for the tree's own.</summary>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>A completed task.</returns>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _hostStopping, 1);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the tree (children in reverse order, then background work), waiting at most until
    /// <paramref name="cancellationToken"/> is cancelled (the host's shutdown timeout); then logs a
    /// warning and returns. Sets the crash exit code if the tree has crashed.
    /// </summary>
    /// <param name="cancellationToken">The host's stop token; cancelled when its shutdown timeout expires.</param>
    /// <returns>A task that completes when the tree has stopped or the token was cancelled.</returns>
    /// <exception cref="Exception">A stop hook's exception, as <see cref="IService.StopAsync"/> rethrows it.</exception>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _hostStopping, 1);
        if (!Service.IsStarted)
        {
            return;
        }

        try
        {
            await Service.StopAsync(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _log.LogWarning(
                "Mode service {Service} did not stop within the host's shutdown timeout; abandoning the rest of its stop",
                Service.Label);
        }
        finally
        {
            if (Service.IsCrashed)
            {
                OnCrashed(stopHost: false);
            }
        }
    }

    /// <summary>Does nothing: the tree has stopped once <see cref="StopAsync"/> has returned.</summary>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>A completed task.</returns>
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) != 0)
        {
            return;
        }

        var useLogging = _loggerFactory is not NullLoggerFactory;
        foreach (var node in Service.Beacon.Traverse())
        {
            if (node.Data is not Mode.Service service || service.IsStarted)
            {
                continue;
            }

            if (useLogging && service.LoggerFactory is NullLoggerFactory)
            {
                service.LoggerFactory = _loggerFactory;
            }

            if (_timeProvider is not null && ReferenceEquals(service.TimeProvider, TimeProvider.System))
            {
                service.TimeProvider = _timeProvider;
            }
        }

        // The root's limit bounds the whole tree's start: its children start inside it.
        if (_options.StartTimeout is { } startTimeout && Service is Mode.Service root && root.StartTimeout is null && !root.IsStarted)
        {
            root.StartTimeout = startTimeout;
        }
    }

    private async Task StopAfterFailedStartAsync()
    {
        var timeout = (Service as Mode.Service)?.ShutdownTimeout ?? s_defaultStopTimeout;
        try
        {
            await Service.StopAsync().WaitAsync(timeout, _timeProvider ?? TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.LogWarning("Mode service {Service} did not stop within {Timeout} after its failed start", Service.Label, timeout);
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "Error while stopping Mode service {Service} after its failed start", Service.Label);
        }
    }

    private async Task WatchAsync()
    {
        await Service.WaitUntilStoppedAsync().ConfigureAwait(false);
        if (Service.IsCrashed)
        {
            OnCrashed(stopHost: true);
        }
        else if (Volatile.Read(ref _hostStopping) == 0 && _options.StopApplicationWhenStopped)
        {
            _log.LogInformation("Mode service {Service} stopped by itself; stopping the host", Service.Label);
            _lifetime.StopApplication();
        }
    }

    private void OnCrashed(bool stopHost)
    {
        if (Interlocked.Exchange(ref _crashHandled, 1) != 0)
        {
            return;
        }

        Environment.ExitCode = _options.CrashExitCode;
        if (stopHost)
        {
            _log.LogCritical(
                Service.CrashReason,
                "Mode service {Service} crashed; stopping the host (exit code {ExitCode})",
                Service.Label,
                _options.CrashExitCode);
            _lifetime.StopApplication();
        }
        else
        {
            _log.LogCritical(
                Service.CrashReason,
                "Mode service {Service} crashed while stopping (exit code {ExitCode})",
                Service.Label,
                _options.CrashExitCode);
        }
    }
}

/// <summary>The hosted service of one registered root type; the type keeps registrations apart in the container.</summary>
/// <typeparam name="TService">The root's registered type.</typeparam>
internal sealed class ModeHostedService<TService> : ModeHostedService
    where TService : class, IService
{
    public ModeHostedService(TService service, IServiceProvider provider, ModeHostedServiceOptions options)
        : base(service, provider, options)
    {
        Root = service;
    }

    public TService Root { get; }
}
