
using Mode.Logging;

namespace Mode;

/// <summary>
/// The base of Mode's supervisors: a service that owns other services (as its children) and
/// decides what happens when one of them crashes. A crash wakes the supervisor at once (Mode polls
/// every 5 s), and services given to the constructor are supervised exactly like added ones.
/// </summary>
/// <remarks>
/// <para><b>Restart intensity</b> is read as Erlang/OTP reads it: at most
/// <see cref="MaxRestarts"/> restarts within any window of <see cref="Over"/>; the next restart in
/// that window logs "Max restarts exceeded" and crashes the supervisor with
/// <see cref="MaxRestartsExceededException"/>, which escalates to the supervisor's own supervisor or,
/// unsupervised, crashes its whole tree (a Worker then exits 1). Mode instead builds a token bucket
/// that refills <c>max_restarts</c> tokens per second with a capacity of <c>over</c> tokens, so its
/// <c>(1, 10)</c> allows ten restarts at once.</para>
/// <para>Supervised services stop when the supervisor stops, in reverse order, like any children.</para>
/// </remarks>
public abstract class SupervisorStrategy : Service, ISupervisor
{
    private readonly SemaphoreSlim _wakeup = new(0);
    private readonly Queue<long> _restarts = new();
    private readonly Func<IService, int, Task<IService>>? _replacement;

    /// <summary>Creates a supervisor.</summary>
    /// <param name="services">Services to supervise, in start order.</param>
    /// <param name="maxRestarts">Restarts allowed within <paramref name="over"/> (default 100).</param>
    /// <param name="over">The sliding window for <paramref name="maxRestarts"/> (default 1 s).</param>
    /// <param name="replacement">
    /// Optional factory <c>(crashed, index) → new service</c>: instead of restarting a crashed service,
    /// the supervisor stops it, puts the new one in its position and starts it at once.
    /// </param>
    protected SupervisorStrategy(
        IEnumerable<IService>? services = null,
        int maxRestarts = 100,
        TimeSpan? over = null,
        Func<IService, int, Task<IService>>? replacement = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRestarts);
        var window = over ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero, nameof(over));
        MaxRestarts = maxRestarts;
        Over = window;
        _replacement = replacement;
        if (services is not null)
        {
            foreach (var service in services)
            {
                Add(service);
            }
        }
    }

    /// <summary>Restarts allowed within <see cref="Over"/>.</summary>
    public int MaxRestarts { get; }

    /// <summary>The sliding window of <see cref="MaxRestarts"/>.</summary>
    public TimeSpan Over { get; }

    /// <summary>How many restarts (or replacements) this supervisor has made.</summary>
    public int TotalRestarts { get; private set; }

    /// <summary>The supervised services, in order.</summary>
    public IReadOnlyList<IService> Services => Children;

    /// <summary>Whether this strategy sets <see cref="IService.Supervisor"/> on its services.</summary>
    private protected virtual bool Intercepts => true;

    /// <summary>Supervises <paramref name="service"/>; if the supervisor runs, the service starts at once.</summary>
    /// <exception cref="InvalidOperationException">The service already has another supervisor.</exception>
    /// <param name="service">The service to supervise.</param>
    public void Add(IService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        Claim(service);
        AddDependency(service);
        if (IsStarted && !ShouldStop)
        {
            _ = AddFuture(service.MaybeStartAsync(), $"start {service.Label}");
        }
    }

    /// <summary>Stops supervising <paramref name="service"/> (it is neither stopped nor restarted any more).</summary>
    public void Discard(IService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (ReferenceEquals(service.Supervisor, this))
        {
            service.Supervisor = null;
        }

        DiscardDependency(service);
    }

    /// <summary>Replaces the service at <paramref name="index"/> with <paramref name="service"/> (Mode's <c>insert</c>).</summary>
    /// <param name="index">The position to replace; at or past the end, the service is added.</param>
    /// <param name="service">The new service.</param>
    public void Insert(int index, IService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var current = Services;
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index >= current.Count)
        {
            Add(service);
            return;
        }

        Claim(service);
        var old = current[index];
        if (ReferenceEquals(old.Supervisor, this))
        {
            old.Supervisor = null;
        }

        ReplaceDependency(old, service);
    }

    /// <inheritdoc/>
    void ISupervisor.Wakeup(IService service) => _wakeup.Release();

    /// <summary>Applies the strategy to the services that crashed (called on the supervisor's loop).</summary>
    /// <param name="crashed">The crashed services, in supervision order.</param>
    /// <param name="cancellationToken">Cancelled when the supervisor stops.</param>
    protected abstract Task RestartServicesAsync(IReadOnlyList<IService> crashed, CancellationToken cancellationToken);

    /// <summary>
    /// Restarts one service (or replaces it, with a replacement factory), counting it against
    /// <see cref="MaxRestarts"/>. Logs "Restarting dead …! Last crash reason: …".
    /// </summary>
    /// <returns><see langword="false"/> when the limit was exceeded and the supervisor crashed.</returns>
    /// <param name="service">The crashed service.</param>
    /// <param name="cancellationToken">Cancelled when the supervisor stops.</param>
    protected async Task<bool> RestartServiceAsync(IService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (ShouldStop)
        {
            // A stopping supervisor restarts nothing (the service's own restart would give up too).
            return false;
        }

        if (!TryCountRestart())
        {
            ServiceLog.MaxRestartsExceeded(Log, MaxRestarts, Over);
            Crash(new MaxRestartsExceededException(Label, MaxRestarts, Over, service.CrashReason));
            return false;
        }

        ServiceLog.RestartingDeadService(Log, service.Label, DescribeReason(service.CrashReason));
        TotalRestarts++;
        try
        {
            if (_replacement is null)
            {
                await service.RestartAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
                return true;
            }

            var index = IndexOf(service);
            await service.StopAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
            var replacement = await _replacement(service, index).ConfigureAwait(ContinueOnCapturedContext);
            if (ShouldStop)
            {
                // The supervisor began to stop while the factory ran: the replacement is not taken in.
                return false;
            }

            Insert(index, replacement);
            await replacement.MaybeStartAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        }
        catch (Exception ex) when (!ShouldStop)
        {
            // A restart that fails is another crash: count it and try again on the next pass.
            var target = _replacement is null ? service : Services.ElementAtOrDefault(IndexOf(service)) ?? service;
            target.Crash(ex);
        }

        return true;
    }

    /// <summary>Stops every supervised service (in reverse order), logging failures.</summary>
    /// <param name="services">The services, in supervision order.</param>
    /// <param name="cancellationToken">Passed to each stop.</param>
    /// <returns>A task that completes when every one has stopped.</returns>
    protected async Task StopServicesAsync(IEnumerable<IService> services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var service in services.Reverse())
        {
            try
            {
                await service.StopAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
            }
            catch (Exception ex)
            {
                ServiceLog.SupervisedStopFailed(Log, ex, service.Label);
            }
        }
    }

    /// <inheritdoc/>
    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        base.ConfigureWiring(wiring);
        wiring.AddTask("Supervisor.Supervise", static (s, ct) => new ValueTask(((SupervisorStrategy)s).SuperviseAsync(ct)));
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        while (!ShouldStop)
        {
            await _wakeup.WaitAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
            while (_wakeup.CurrentCount > 0)
            {
                await _wakeup.WaitAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
            }

            if (ShouldStop)
            {
                return;
            }

            var crashed = Services.Where(static s => s.IsStarted && s.IsCrashed).ToArray();
            if (crashed.Length > 0)
            {
                await RestartServicesAsync(crashed, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
            }
        }
    }

    private void Claim(IService service)
    {
        if (!Intercepts)
        {
            return;
        }

        if (service.Supervisor is { } other && !ReferenceEquals(other, this))
        {
            throw new InvalidOperationException($"Service '{service.Label}' is already supervised by another supervisor.");
        }

        service.Supervisor = this;
    }

    private int IndexOf(IService service)
    {
        var services = Services;
        for (var i = 0; i < services.Count; i++)
        {
            if (ReferenceEquals(services[i], service))
            {
                return i;
            }
        }

        return services.Count;
    }

    private bool TryCountRestart()
    {
        var now = TimeProvider.GetTimestamp();
        while (_restarts.Count > 0 && TimeProvider.GetElapsedTime(_restarts.Peek(), now) >= Over)
        {
            _restarts.Dequeue();
        }

        if (_restarts.Count >= MaxRestarts)
        {
            return false;
        }

        _restarts.Enqueue(now);
        return true;
    }

    internal static string DescribeReason(Exception? reason) =>
        reason is null ? "None" : $"{reason.GetType().Name}({reason.Message})";
}

/// <summary>Thrown (as a crash reason) when a supervisor exceeds its restart intensity.</summary>
public sealed class MaxRestartsExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MaxRestartsExceededException()
        : base("Max restarts exceeded")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MaxRestartsExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the last crash reason.</summary>
    public MaxRestartsExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal MaxRestartsExceededException(string supervisor, int maxRestarts, TimeSpan over, Exception? lastCrash)
        : base($"Max restarts exceeded: supervisor '{supervisor}' allows {maxRestarts} restarts within {over}.", lastCrash)
    {
    }
}
