using System.Runtime.ExceptionServices;
using Mode.Diagnostics;
using Mode.Internal;
using Mode.Logging;

namespace Mode;

public abstract partial class Service
{
    /// <inheritdoc/>
    public ServiceState State => HasFlag(Crashed) ? ServiceState.Crashed : _phase;

    /// <summary>The lifecycle hook running right now (e.g. <c>OnStartAsync</c>), or <see langword="null"/>; for diagnostics.</summary>
    public string? CurrentHook => _activity;

    /// <inheritdoc/>
    public bool IsStarted => HasFlag(Started);

    /// <inheritdoc/>
    public bool IsCrashed => HasFlag(Crashed);

    /// <inheritdoc/>
    public Exception? CrashReason => _cold is { } cold ? Volatile.Read(ref cold.CrashReason) : null;

    /// <inheritdoc/>
    public bool ShouldStop => HasFlag(Stopping | Crashed);

    /// <inheritdoc/>
    public int RestartCount => Volatile.Read(ref _restartCount);

    /// <summary>
    /// Cancelled when this service begins to stop (Mode's <c>should_stop</c> as a token). It is the
    /// token every <see cref="TaskAttribute"/>, <see cref="TimerAttribute"/> and
    /// <see cref="CrontabAttribute"/> method receives. A new token is used after a restart.
    /// </summary>
    public CancellationToken StoppingToken
    {
        get
        {
            var cts = Volatile.Read(ref _stoppingCts);
            if (cts is null)
            {
                var created = new CancellationTokenSource();
                cts = Interlocked.CompareExchange(ref _stoppingCts, created, null);
                if (cts is null)
                {
                    cts = created;
                    if (HasFlag(Stopping))
                    {
                        cts.Cancel();
                    }
                }
                else
                {
                    created.Dispose();
                }
            }

            return cts.Token;
        }
    }

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

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!TrySetFlag(Started))
        {
            throw new InvalidOperationException(
                $"Service '{Label}' was already started; call RestartAsync (or Reset) to start it again.");
        }

        return RunLifecycleAsync(LifecycleOperation.Start, s_startCore, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> MaybeStartAsync(CancellationToken cancellationToken = default)
    {
        if (!TrySetFlag(Started))
        {
            return s_false;
        }

        // A start that completes synchronously (the common case for a tree of services) costs no
        // second state machine.
        var start = RunLifecycleAsync(LifecycleOperation.Start, s_startCore, cancellationToken);
        return start.IsCompletedSuccessfully ? s_true : AwaitStartAsync(start);
    }

    private async Task<bool> AwaitStartAsync(Task start)
    {
        await start.ConfigureAwait(ContinueOnCapturedContext);
        return true;
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var ctx = ContinueOnCapturedContext;
        EnsureInitialized();
        SetPhase(ServiceState.Starting);
        var wiring = ServiceWiring.For(this);
        var span = ModeTracing.StartSpan(ModeTracing.Start, this);
        try
        {
            if (_restartCount == 0)
            {
                var dependencies = wiring.Dependencies;
                for (var i = 0; i < dependencies.Count; i++)
                {
                    if (dependencies[i].Getter(this) is { } child)
                    {
                        AddDependency(child);
                    }
                }

                foreach (var child in OnInitDependencies())
                {
                    if (child is not null)
                    {
                        AddDependency(child);
                    }
                }

                EnterHook(nameof(OnFirstStartAsync));
                ModeTracing.Phase(span, nameof(OnFirstStartAsync));
                await OnFirstStartAsync(cancellationToken).ConfigureAwait(ctx);
                _activity = null;
                if (ShouldStop)
                {
                    ModeTracing.Phase(span, ModeTracing.CutShortPhase);
                    return;
                }
            }

            ServiceLog.Starting(Log, MundaneLevel);
            EnterHook(nameof(OnStartAsync));
            ModeTracing.Phase(span, nameof(OnStartAsync));
            await OnStartAsync(cancellationToken).ConfigureAwait(ctx);
            _activity = null;
            if (ShouldStop)
            {
                ModeTracing.Phase(span, ModeTracing.CutShortPhase);
                return;
            }

            StartBackgroundWork(wiring);

            ModeTracing.Phase(span, ModeTracing.ChildrenPhase);
            for (var i = 0; ; i++)
            {
                if (ShouldStop)
                {
                    ModeTracing.Phase(span, ModeTracing.CutShortPhase);
                    return;
                }

                var child = ChildAt(i);
                if (child is null)
                {
                    break;
                }

                // Settings given to this service after the child was added still reach it.
                PassAmbientTo(child);
                await child.MaybeStartAsync(cancellationToken).ConfigureAwait(ctx);
            }

            ServiceLog.Started(Log);
            SetPhase(ServiceState.Running);
            ModeInstruments.Started(this);
            EnterHook(nameof(OnStartedAsync));
            ModeTracing.Phase(span, nameof(OnStartedAsync));
            await OnStartedAsync(cancellationToken).ConfigureAwait(ctx);
            _activity = null;
        }
        catch (Exception ex)
        {
            _activity = null;
            ModeTracing.End(span, ex);
            span = null;
            await DisposeContextsAsync().ConfigureAwait(ctx);
            throw;
        }
        finally
        {
            ModeTracing.End(span);
        }
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!TrySetFlag(StopClaimed))
        {
            return JoinStopAsync();
        }

        return RunLifecycleAsync(LifecycleOperation.Stop, s_stopCore, cancellationToken);
    }

    private async Task JoinStopAsync()
    {
        await _stopCompleted.WaitAsync().ConfigureAwait(ContinueOnCapturedContext);
        _cold?.StopError?.Throw();
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        var ctx = ContinueOnCapturedContext;
        ExceptionDispatchInfo? error = null;
        var span = ModeTracing.StartSpan(ModeTracing.Stop, this);
        try
        {
            ServiceLog.Stopping(Log, MundaneLevel);
            SetPhase(ServiceState.Stopping);
            MarkStopping();

            try
            {
                EnterHook(nameof(OnStopAsync));
                ModeTracing.Phase(span, nameof(OnStopAsync));
                await OnStopAsync(cancellationToken).ConfigureAwait(ctx);
                _activity = null;
            }
            catch (Exception ex)
            {
                // Unlike Mode, a failing OnStopAsync does not leave children and tasks running:
                // the stop goes on and the exception is rethrown at the end.
                error = ExceptionDispatchInfo.Capture(ex);
                ServiceLog.OnStopFailed(Log, ex);
            }

            try
            {
                await OnStopCoreAsync(cancellationToken).ConfigureAwait(ctx);
            }
            catch (Exception ex)
            {
                error ??= ExceptionDispatchInfo.Capture(ex);
            }

            if (HasChildren)
            {
                ModeTracing.Phase(span, ModeTracing.ChildrenPhase);
                await StopChildrenAsync(cancellationToken).ConfigureAwait(ctx);
            }

            ServiceLog.ShuttingDown(Log);
            if (WaitForShutdown)
            {
                ModeTracing.Phase(span, ModeTracing.WaitForShutdownPhase);
                await WaitForShutdownSignalAsync().ConfigureAwait(ctx);
            }

            ModeTracing.Phase(span, ModeTracing.BackgroundWorkPhase);
            await StopBackgroundWorkAsync().ConfigureAwait(ctx);
            if (HasContexts)
            {
                ModeTracing.Phase(span, ModeTracing.ContextsPhase);
                await DisposeContextsAsync().ConfigureAwait(ctx);
            }

            try
            {
                EnterHook(nameof(OnShutdownAsync));
                ModeTracing.Phase(span, nameof(OnShutdownAsync));
                await OnShutdownAsync(cancellationToken).ConfigureAwait(ctx);
                _activity = null;
            }
            catch (Exception ex) when (error is null)
            {
                error = ExceptionDispatchInfo.Capture(ex);
            }

            ServiceLog.Stopped(Log);
            ModeInstruments.Stopped(this);
        }
        finally
        {
            _activity = null;
            SetPhase(ServiceState.Shutdown);
            if (error is not null || _cold is not null)
            {
                Cold.StopError = error;
            }

            ModeTracing.End(span, error?.SourceException);
            _stopCompleted.Set();
        }

        error?.Throw();
    }

    private void MarkStopping()
    {
        SetFlag(Stopping);
        _stoppedOrCrashed.Set();
        var cts = Volatile.Read(ref _stoppingCts);
        if (cts is not null)
        {
            try
            {
                cts.Cancel();
            }
            catch (AggregateException ex)
            {
                ServiceLog.StoppingCallbackFailed(Log, ex);
            }
        }

        WakeSleepers();
    }

    private async Task WaitForShutdownSignalAsync()
    {
        if (_shutdownSignal.IsSet)
        {
            return;
        }

        ServiceLog.WaitingForShutdown(Log);
        if (!await CompletesWithinShutdownTimeoutAsync(_shutdownSignal.WaitAsync()).ConfigureAwait(ContinueOnCapturedContext))
        {
            ServiceLog.ShutdownSignalTimedOut(Log, ShutdownTimeout);
        }
        else
        {
            ServiceLog.ShuttingDownNow(Log);
        }
    }

    /// <inheritdoc/>
    public Task RestartAsync(CancellationToken cancellationToken = default) =>
        ModeTracing.IsListening ? TracedRestartAsync(cancellationToken) : RestartCoreAsync(cancellationToken);

    /// <summary><see cref="RestartAsync"/> inside its span <c>restart {Label}</c>, the parent of the stop's and the start's.</summary>
    private async Task TracedRestartAsync(CancellationToken cancellationToken)
    {
        var span = ModeTracing.StartSpan(ModeTracing.Restart, this);
        try
        {
            await RestartCoreAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        }
        catch (Exception ex)
        {
            ModeTracing.End(span, ex);
            throw;
        }

        ModeTracing.End(span);
    }

    private async Task RestartCoreAsync(CancellationToken cancellationToken)
    {
        var ctx = ContinueOnCapturedContext;
        await StopAsync(cancellationToken).ConfigureAwait(ctx);
        ModeInstruments.Restarted(this);
        Reset();
        SetPhase(ServiceState.Restarting);
        EnterHook(nameof(OnRestartAsync));
        await RunLifecycleAsync(LifecycleOperation.Restart, s_restartHook, cancellationToken).ConfigureAwait(ctx);
        _activity = null;
        await StartAsync(cancellationToken).ConfigureAwait(ctx);
    }

    /// <inheritdoc/>
    /// <remarks>Meant for a stopped (or never started) service; resetting a running one abandons its run.</remarks>
    public void Reset()
    {
        Interlocked.Increment(ref _restartCount);
        _cold?.TestProbe?.Changed();
        var cts = Interlocked.Exchange(ref _stoppingCts, null);
        cts?.Dispose();
        ResetBackgroundWork();
        if (_cold is { } cold)
        {
            cold.CrashReason = null;
            cold.StopError = null;
        }

        _stoppedOrCrashed.Reset();
        _stopCompleted.Reset();
        _shutdownSignal.Reset();
        ClearFlags(Crashed | Stopping | StopClaimed);
        SetPhase(ServiceState.Init);
        ClearFlags(Started);
        for (var i = 0; ; i++)
        {
            var child = ChildAt(i);
            if (child is null)
            {
                break;
            }

            child.Reset();
        }
    }

    /// <inheritdoc/>
    public void Crash(Exception reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ServiceLog.Crashed(Log, reason, reason.GetType().Name + ": " + reason.Message);
        if (IsCrashed)
        {
            return;
        }

        ModeInstruments.Crashed(this);
        if (Supervisor is { } supervisor)
        {
            MarkCrashed(reason);
            supervisor.Wakeup(this);
            return;
        }

        // Mode: every ancestor up to the root is crashed, and each crash recurses into its
        // children, so the whole tree below the root ends up crashed.
        var ancestors = Beacon.Walk().ToArray();
        for (var i = ancestors.Length - 1; i >= 0; i--)
        {
            MarkCrashed(ancestors[i].Data, reason);
        }

        MarkCrashed(reason);
    }

    private static void MarkCrashed(IService service, Exception reason)
    {
        if (service is Service s)
        {
            s.MarkCrashed(reason);
        }
        else if (service is ICrashable c)
        {
            c.MarkCrashed(reason);
        }
    }

    /// <summary>Mode's <c>_crash</c>: sets the flag and reason once, then recurses into the children.</summary>
    internal void MarkCrashed(Exception reason)
    {
        Interlocked.CompareExchange(ref Cold.CrashReason, reason, null);
        if (!TrySetFlag(Crashed))
        {
            return;
        }

        _stoppedOrCrashed.Set();
        _cold?.TestProbe?.Changed();
        for (var i = 0; ; i++)
        {
            var child = ChildAt(i);
            if (child is null)
            {
                break;
            }

            MarkCrashed(child, reason);
        }
    }

    /// <inheritdoc/>
    public Task WaitUntilStoppedAsync(CancellationToken cancellationToken = default) =>
        _stoppedOrCrashed.WaitAsync().WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public void SetShutdown() => _shutdownSignal.Set();

    /// <summary>Stops the service if it was started. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsStarted)
        {
            await StopAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}

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

/// <summary>Lets a non-<see cref="Service"/> implementation (a proxy) take part in crash propagation.</summary>
internal interface ICrashable
{
    void MarkCrashed(Exception reason);
}
