
using Mode.Diagnostics;
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

    // Backoff (guarded by _backoffLock): per service, the attempts since the last reset and when it
    // was last restarted; and the services waiting for their delay right now, with the restart's due time.
    private readonly object _backoffLock = new();
    private readonly Dictionary<IService, (int Attempt, long RestartedAt)> _attempts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<IService, DateTimeOffset> _waiting = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<IService> _restarting = new(ReferenceEqualityComparer.Instance);
    private int _backoffWaits;
    private int _totalRestarts;

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
    public int TotalRestarts => Volatile.Read(ref _totalRestarts);

    /// <summary>The supervised services, in order.</summary>
    public IReadOnlyList<IService> Services => Children;

    /// <summary>
    /// How long to wait before each restart, or <see langword="null"/> (the default) to restart at
    /// once. While a service waits it is stopped (not running); a stop of the supervisor ends the wait
    /// at once and restarts nothing. <see cref="MaxRestarts"/> counts the restarts actually made.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set after the supervisor started.</exception>
    public RestartBackoff? Backoff
    {
        get;
        set
        {
            if (IsStarted)
            {
                throw new InvalidOperationException($"Backoff of supervisor '{Label}' cannot change after it started.");
            }

            field = value;
        }
    }

    /// <summary>Whether <paramref name="service"/> is waiting for its <see cref="Backoff"/> delay, and when its restart is due.</summary>
    /// <param name="service">A supervised service.</param>
    /// <param name="due">When the restart is due, on the supervisor's <see cref="Service.TimeProvider"/>.</param>
    /// <returns><see langword="true"/> while the service waits.</returns>
    public bool TryGetRestartDue(IService service, out DateTimeOffset due)
    {
        lock (_backoffLock)
        {
            return _waiting.TryGetValue(service, out due);
        }
    }

    /// <summary>How many times this supervisor waited for a <see cref="Backoff"/> delay.</summary>
    public int TotalBackoffWaits => Volatile.Read(ref _backoffWaits);

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

        if (Backoff is null)
        {
            // With a backoff, WaitBeforeRestartAsync said it already, with the delay.
            ServiceLog.RestartingDeadService(Log, service.Label, DescribeReason(service.CrashReason));
        }

        Interlocked.Increment(ref _totalRestarts);
        var index = IndexOf(service);
        try
        {
            if (_replacement is null)
            {
                await service.RestartAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
                return true;
            }

            await ReplaceAsync(service, _replacement, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        }
        catch (Exception ex) when (!ShouldStop)
        {
            // A restart that fails is another crash: count it and try again on the next pass. With a
            // replacement, the one that failed is the service now at the crashed one's position: the
            // replacement once it was taken in, else the crashed service itself.
            var target = _replacement is null ? service : Services.ElementAtOrDefault(index) ?? service;
            target.Crash(ex);

            // A target still marked crashed (a failed replacement factory leaves the crashed service
            // stopped, not reset) ignores the crash and wakes nobody: wake the loop for the next pass.
            _wakeup.Release();
        }

        return true;
    }

    /// <summary>
    /// Waits for <paramref name="service"/>'s <see cref="Backoff"/> delay before its restart: stops the
    /// service (a crash only marks it; its work may still run), logs "Restarting dead … in … s (attempt
    /// n)" and sleeps on the supervisor's <see cref="Service.TimeProvider"/>. Returns at once without a
    /// backoff. A stop of the supervisor ends the wait at once.
    /// </summary>
    /// <returns><see langword="false"/> when the supervisor is stopping: nothing is to be restarted.</returns>
    /// <param name="service">The crashed service.</param>
    /// <param name="cancellationToken">Passed to the service's stop.</param>
    protected async Task<bool> WaitBeforeRestartAsync(IService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (Backoff is not { } backoff || ShouldStop)
        {
            return !ShouldStop;
        }

        var ctx = ContinueOnCapturedContext;
        int attempt;
        TimeSpan delay;
        lock (_backoffLock)
        {
            // Attempts count up while the service keeps crashing within ResetAfter of its last restart.
            var now = TimeProvider.GetTimestamp();
            attempt = _attempts.TryGetValue(service, out var last) && TimeProvider.GetElapsedTime(last.RestartedAt, now) < backoff.ResetAfter
                ? last.Attempt + 1
                : 1;
            delay = backoff.DelayFor(attempt);
            _attempts[service] = (attempt, last.RestartedAt);
            _waiting[service] = TimeProvider.GetUtcNow() + delay;
            _backoffWaits++;
        }

        try
        {
            try
            {
                await service.StopAsync(cancellationToken).ConfigureAwait(ctx);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ServiceLog.SupervisedStopFailed(Log, ex, service.Label);
            }

            ModeInstruments.BackoffWait(service);
            ServiceLog.RestartingDeadServiceIn(
                Log,
                service.Label,
                delay.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                attempt,
                DescribeReason(service.CrashReason));
            if (!await SleepAsync(delay, CancellationToken.None).ConfigureAwait(ctx) || ShouldStop)
            {
                return false;
            }

            lock (_backoffLock)
            {
                _attempts[service] = (attempt, TimeProvider.GetTimestamp());
            }

            return true;
        }
        finally
        {
            lock (_backoffLock)
            {
                _waiting.Remove(service);
            }
        }
    }

    /// <summary>
    /// Marks <paramref name="service"/> as being restarted on its own (one-for-one with a backoff), so
    /// that the supervisor's next passes leave it alone; <see langword="false"/> if it already is.
    /// </summary>
    private protected bool TryBeginRestart(IService service)
    {
        lock (_backoffLock)
        {
            return _restarting.Add(service);
        }
    }

    /// <summary>Ends <see cref="TryBeginRestart"/>, and wakes the supervisor in case the service crashed again meanwhile.</summary>
    private protected void EndRestart(IService service)
    {
        lock (_backoffLock)
        {
            _restarting.Remove(service);
        }

        _wakeup.Release();
    }

    /// <summary>
    /// Stops the crashed service, puts the factory's new one in its position and starts it, inside the
    /// span <c>restart {Label}</c> (as <see cref="Service.RestartAsync"/> is).
    /// </summary>
    private async Task ReplaceAsync(IService service, Func<IService, int, Task<IService>> factory, CancellationToken cancellationToken)
    {
        var span = ModeTracing.StartSpan(ModeTracing.Restart, service);
        try
        {
            var index = IndexOf(service);
            await service.StopAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
            var replacement = await factory(service, index).ConfigureAwait(ContinueOnCapturedContext);
            if (ShouldStop)
            {
                // The supervisor began to stop while the factory ran: the replacement is not taken in.
                ModeTracing.End(span);
                return;
            }

            Insert(index, replacement);
            await replacement.MaybeStartAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        }
        catch (Exception ex)
        {
            ModeTracing.End(span, ex);
            throw;
        }

        ModeTracing.End(span);
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

            IService[] crashed;
            lock (_backoffLock)
            {
                crashed = Services.Where(s => s.IsStarted && s.IsCrashed && !_restarting.Contains(s)).ToArray();
            }

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
        lock (_restarts)
        {
            return TryCountRestartLocked();
        }
    }

    private bool TryCountRestartLocked()
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
