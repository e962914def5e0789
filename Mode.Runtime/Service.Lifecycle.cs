using System.Runtime.ExceptionServices;
using Mode.Diagnostics;
using Mode.Internal;
using Mode.Logging;

namespace Mode;

public abstract partial class Service
{
    /// <inheritdoc/>
    public ServiceState State => HasFlag(Crashed) ? ServiceState.Crashed : Phase;

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

    /// <summary>Whether a stop of this run was claimed (a <see cref="ServiceThread"/>'s start then brings up no thread).</summary>
    internal bool StopWasClaimed => HasFlag(StopClaimed | Stopping);

    /// <summary>Whether the stop of this run has completed (a <see cref="ServiceThread"/>'s thread has nothing left to serve).</summary>
    internal bool HasStopped => (Volatile.Read(ref _flags) & (StopClaimed | StopDone)) == (StopClaimed | StopDone);

    /// <summary>The phase of the lifecycle, apart from a crash (see <see cref="State"/>).</summary>
    private ServiceState Phase => (ServiceState)(Volatile.Read(ref _phase) & PhaseMask);

    /// <summary>Sets the lifecycle phase (keeping the run and the start-hook bit) and tells a test probe (Mode.Testing's waits).</summary>
    private void SetPhase(ServiceState phase)
    {
        while (true)
        {
            var word = Volatile.Read(ref _phase);
            if (Interlocked.CompareExchange(ref _phase, (word & ~PhaseMask) | (int)phase, word) == word)
            {
                break;
            }
        }

        _cold?.TestProbe?.Changed();
    }

    /// <summary>Begins a new run (a reset): the phase goes back to <see cref="ServiceState.Init"/> and the run advances.</summary>
    private void BeginNewRun()
    {
        while (true)
        {
            var word = Volatile.Read(ref _phase);
            var next = unchecked((word & ~(PhaseMask | CallingStartHookBit)) + RunUnit) | (int)ServiceState.Init;
            if (Interlocked.CompareExchange(ref _phase, next, word) == word)
            {
                break;
            }
        }

        _cold?.TestProbe?.Changed();
    }

    /// <summary>The phase word with <paramref name="phase"/> in place of the phase of <paramref name="word"/>.</summary>
    private static int WithPhase(int word, ServiceState phase) => (word & ~PhaseMask) | (int)phase;

    /// <summary>
    /// Moves the phase word from <paramref name="from"/> (a whole word: phase, run) to the phase
    /// <paramref name="to"/> unless something else moved it first — a stop, or a reset that began a
    /// new run: the start uses it, so that it never overwrites a stop's phase nor touches a later run.
    /// </summary>
    private bool TryMovePhase(int from, ServiceState to)
    {
        if (Interlocked.CompareExchange(ref _phase, WithPhase(from, to), from) != from)
        {
            return false;
        }

        _cold?.TestProbe?.Changed();
        return true;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Returns at once, running nothing, when the service's stop was claimed (it is never started
    /// again before a reset) or when its parent or supervisor is stopping.
    /// </remarks>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        return ClaimStart() switch
        {
            StartClaim.Claimed => RunStartAsync(cancellationToken),
            StartClaim.AlreadyStarted => throw new InvalidOperationException(
                $"Service '{Label}' was already started; call RestartAsync (or Reset) to start it again."),
            _ => Task.CompletedTask,
        };
    }

    /// <inheritdoc/>
    /// <remarks>Starts nothing (and returns <see langword="false"/>) in the cases where <see cref="StartAsync"/> returns at once.</remarks>
    public Task<bool> MaybeStartAsync(CancellationToken cancellationToken = default)
    {
        if (ClaimStart() != StartClaim.Claimed)
        {
            return s_false;
        }

        // A start that completes synchronously (the common case for a tree of services) costs no
        // second state machine.
        var start = RunStartAsync(cancellationToken);
        return start.IsCompletedSuccessfully ? s_true : AwaitStartAsync(start);
    }

    private async Task<bool> AwaitStartAsync(Task start)
    {
        await start.ConfigureAwait(ContinueOnCapturedContext);
        return true;
    }

    /// <summary>Runs a claimed start, bounded by <see cref="StartTimeout"/> when there is one.</summary>
    /// <remarks>
    /// A child started by its parent's start, whose own limit is no shorter than the parent's, arms no
    /// timer of its own: the parent's covers it (and one expiry names the stuck service once).
    /// </remarks>
    private Task RunStartAsync(CancellationToken cancellationToken) =>
        _cold?.StartTimeout is { } timeout && !CoveredByParentStartTimeout(timeout)
            ? StartWithinAsync(timeout, cancellationToken)
            : RunLifecycleAsync(LifecycleOperation.Start, s_startCore, cancellationToken);

    private bool CoveredByParentStartTimeout(TimeSpan timeout) =>
        Volatile.Read(ref _beacon)?.Parent?.Data is { } parent
        && AsService(parent) is { } p
        && p.Phase == ServiceState.Starting
        && p._cold?.StartTimeout is { } parentTimeout
        && parentTimeout <= timeout;

    private async Task StartWithinAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ctx = ContinueOnCapturedContext;
        using var startCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var start = RunLifecycleAsync(LifecycleOperation.Start, s_startCore, startCancellation.Token);
        try
        {
            await start.WaitAsync(timeout, TimeProvider, CancellationToken.None).ConfigureAwait(ctx);
            return;
        }
        catch (TimeoutException) when (!start.IsCompleted)
        {
            // This start's own limit (a child's TimeoutException completes the start and goes on as it is).
        }

        var (stuck, hook) = FindStuckStart();
        var error = new TimeoutException(
            $"Service '{stuck.Label}' did not start within {timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s: it was in {hook}.");
        ServiceLog.StartTimedOut(Log, stuck.Label, timeout, hook);
        await startCancellation.CancelAsync().ConfigureAwait(ctx);

        // What started is stopped, in reverse (the stop runs alongside the stuck hook, which gives up
        // at its next step if it ever returns).
        try
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(ctx);
        }
        catch (Exception ex)
        {
            ServiceLog.OnStopFailed(Log, ex);
        }

        _ = start.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        throw error;
    }

    /// <summary>The deepest service of this tree still starting, and the hook it is in (for the timeout's message).</summary>
    internal (IService Service, string Hook) FindStuckStart()
    {
        IService stuck = this;
        var hook = _activity;
        var depth = 0;
        foreach (var node in Beacon.Traverse())
        {
            if (node.Data.State == ServiceState.Starting && AsService(node.Data) is { CurrentHook: { } current } && node.Depth > depth)
            {
                (stuck, hook, depth) = (node.Data, current, node.Depth);
            }
        }

        return (stuck, hook ?? "its start");
    }

    /// <summary>
    /// Claims this service's start. The rule that keeps a stopped tree stopped: a service whose stop
    /// was claimed, or whose restart is in flight, or whose parent or supervisor is stopping, is not
    /// started. The owner is checked before the claim: a stopping owner stops its children after it
    /// marked itself stopping, so either this check sees it, or the owner's stop reaches this
    /// service's flags after the claim and stops it (the start then gives up at its next check).
    /// </summary>
    private StartClaim ClaimStart()
    {
        if (HasFlag(Started))
        {
            return StartClaim.AlreadyStarted;
        }

        if (OwnerIsStopping())
        {
            return StartClaim.Refused;
        }

        while (true)
        {
            var flags = Volatile.Read(ref _flags);
            if ((flags & Started) != 0)
            {
                return StartClaim.AlreadyStarted;
            }

            if ((flags & (StopClaimed | RestartInFlight)) != 0)
            {
                return StartClaim.Refused;
            }

            if (Interlocked.CompareExchange(ref _flags, flags | Started, flags) == flags)
            {
                return StartClaim.Claimed;
            }
        }
    }

    /// <summary>Whether the service's parent (in the beacon tree) or its supervisor has begun to stop.</summary>
    private bool OwnerIsStopping()
    {
        var parent = Volatile.Read(ref _beacon)?.Parent?.Data;
        if (parent is not null && HasBegunStopping(parent))
        {
            return true;
        }

        return _cold?.Supervisor is IService supervisor && !ReferenceEquals(supervisor, parent) && HasBegunStopping(supervisor);
    }

    private static bool HasBegunStopping(IService service) =>
        AsService(service) is { } s
            ? s.HasFlag(StopClaimed | Stopping)
            : service.State is ServiceState.Stopping or ServiceState.Shutdown;

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var ctx = ContinueOnCapturedContext;
        var from = Volatile.Read(ref _phase);
        if ((ServiceState)(from & PhaseMask) is not (ServiceState.Init or ServiceState.Restarting) || !TryMovePhase(from, ServiceState.Starting))
        {
            // A stop claimed since the start was: it runs (or ran) instead of this start. (Or
            // another start of this run won the move: the one claimed before a reset, arriving late.)
            return;
        }

        // This start's phase word: every later step of the start is a compare-and-swap against it.
        var starting = WithPhase(from, ServiceState.Starting);
        EnsureInitialized();
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
            }

            // Also on a restart's start: a stop that began since the phase moved has run (or is
            // running) OnStopAsync, and an OnStartAsync after it would never be matched by a stop.
            if (ShouldStop)
            {
                ModeTracing.Phase(span, ModeTracing.CutShortPhase);
                return;
            }

            ServiceLog.Starting(Log, MundaneLevel);
            if (!TryEnterStartHook(starting))
            {
                // A stop moved the phase since the check above (its OnStopAsync may have run
                // already, and an OnStartAsync after it would never be matched by a stop), or a
                // reset began a new run that this start is not part of.
                ModeTracing.Phase(span, ModeTracing.CutShortPhase);
                return;
            }

            EnterHook(nameof(OnStartAsync));
            ModeTracing.Phase(span, nameof(OnStartAsync));
            ValueTask startHook;
            try
            {
                startHook = OnStartAsync(cancellationToken);
            }
            finally
            {
                LeaveStartHookCall();
            }

            await startHook.ConfigureAwait(ctx);
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

            if (!TryMovePhase(starting, ServiceState.Running))
            {
                // The stop began after the last check: it owns the phase now.
                return;
            }

            ServiceLog.Started(Log);
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

    /// <summary>
    /// The start's step into <c>OnStartAsync</c>, one compare-and-swap of the phase word from this
    /// start's own (<paramref name="starting"/>): refused when a stop has moved the phase, or a reset
    /// began a new run, since; otherwise marks the hook's call in progress, and a stop that moves
    /// the phase from now on waits for that call to return before it runs its own hooks
    /// (<see cref="WaitForStartHookCallAsync"/>). So <c>OnStopAsync</c> never runs before the
    /// <c>OnStartAsync</c> of the run it stops, and a start never calls it in a later run.
    /// </summary>
    private bool TryEnterStartHook(int starting) =>
        !HasFlag(StopClaimed | Stopping | Crashed)
        && Interlocked.CompareExchange(ref _phase, starting | CallingStartHookBit, starting) == starting;

    /// <summary>The call of <c>OnStartAsync</c> returned (its task may still run): releases a stop that waits for it.</summary>
    private void LeaveStartHookCall()
    {
        TaskCompletionSource? waitingStop;
        lock (_sync)
        {
            Interlocked.And(ref _phase, ~CallingStartHookBit);
            waitingStop = _cold?.StartHookCalled;
            if (waitingStop is not null)
            {
                _cold!.StartHookCalled = null;
            }
        }

        waitingStop?.TrySetResult();
    }

    /// <summary>
    /// A stop claimed while the start was calling <c>OnStartAsync</c> waits here for that call to
    /// return: only for its synchronous part (the stop does not wait for the hook's task, as a stop
    /// during a start goes ahead at once), so an <c>await StopAsync()</c> inside the hook is fine.
    /// A call that does not return within <see cref="ShutdownTimeout"/> is left behind, with a warning.
    /// </summary>
    private async ValueTask WaitForStartHookCallAsync()
    {
        Task called;
        lock (_sync)
        {
            if ((Volatile.Read(ref _phase) & CallingStartHookBit) == 0)
            {
                return;
            }

            called = (Cold.StartHookCalled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        if (!await CompletesWithinShutdownTimeoutAsync(called).ConfigureAwait(ContinueOnCapturedContext))
        {
            ServiceLog.StartHookCallTimedOut(Log, ShutdownTimeout);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A stop that arrives while <see cref="RestartAsync"/> has not reached its start yet waits for
    /// the restart to give up (it never starts the service then) and returns once the service is
    /// stopped; one that arrives after the restart's start began stops the service as any stop does.
    /// </remarks>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var flags = Volatile.Read(ref _flags);
            if ((flags & RestartInFlight) != 0)
            {
                if (RequestStopDuringRestart() is { } restart)
                {
                    return StopAfterRestartAsync(restart, cancellationToken);
                }

                continue;
            }

            if ((flags & StopClaimed) != 0)
            {
                return JoinStopAsync();
            }

            if (Interlocked.CompareExchange(ref _flags, flags | StopClaimed, flags) == flags)
            {
                return RunLifecycleAsync(LifecycleOperation.Stop, s_stopCore, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The restart's own stop: claims the stop, or joins one already running or done. A joined
    /// stop's error was reported to the caller that claimed it (a supervisor logs it): the restart
    /// goes on, or a service whose stop hook fails once could never be restarted.
    /// </summary>
    private Task StopForRestartAsync(CancellationToken cancellationToken) =>
        TrySetFlag(StopClaimed) ? RunLifecycleAsync(LifecycleOperation.Stop, s_stopCore, cancellationToken) : JoinStopAsync(rethrow: false);

    /// <summary>
    /// Tells the restart in flight that a stop wants the service down, and returns what completes
    /// when the restart has given up; <see langword="null"/> if the restart has just settled.
    /// </summary>
    private Task? RequestStopDuringRestart()
    {
        lock (_sync)
        {
            if (!HasFlag(RestartInFlight) || _cold?.RestartGate is not { } gate)
            {
                return null;
            }

            _cold.StopRequestedDuringRestart = true;
            return gate.Task;
        }
    }

    private async Task StopAfterRestartAsync(Task restart, CancellationToken cancellationToken)
    {
        await restart.ConfigureAwait(ContinueOnCapturedContext);
        await StopAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
    }

    /// <summary>Waits for the stop claimed by another caller, and rethrows its error (when <paramref name="rethrow"/>).</summary>
    private Task JoinStopAsync(bool rethrow = true)
    {
        var stopped = _stopCompleted.WaitAsync();
        if (!stopped.IsCompleted && (Volatile.Read(ref _flags) & (StopClaimed | StopDone)) != StopClaimed)
        {
            // The stop is done, or the service was reset since (a parent's restart resets its
            // children), which re-arms the signal for the next run: waiting on it now would wait for
            // a stop nobody claimed. The flags are read after the signal: a reset re-arms the
            // signal before it clears them, and a stop sets StopDone before the signal.
            stopped = Task.CompletedTask;
        }

        return AwaitStopAsync(stopped, rethrow);
    }

    private async Task AwaitStopAsync(Task stopped, bool rethrow)
    {
        await stopped.ConfigureAwait(ContinueOnCapturedContext);
        if (rethrow)
        {
            _cold?.StopError?.Throw();
        }
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
            if ((Volatile.Read(ref _phase) & CallingStartHookBit) != 0)
            {
                await WaitForStartHookCallAsync().ConfigureAwait(ctx);
            }

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
            catch (Exception ex)
            {
                // The first error of the stop is the one reported (to this caller and to joiners alike).
                error ??= ExceptionDispatchInfo.Capture(ex);
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
            SetFlag(StopDone);
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
    /// <remarks>
    /// <para>Until the restart reaches its start, a <see cref="StopAsync"/> call waits for it instead
    /// of joining the restart's own stop, and the restart then gives up: the service stays stopped
    /// (if it was reset already, it is put back into <see cref="ServiceState.Shutdown"/> without
    /// running a hook). The restart also gives up when the parent or supervisor is stopping. So a
    /// stop of the tree never returns while a restart below it can still start something.</para>
    /// <para>A second <see cref="RestartAsync"/> while one is in flight waits until that one
    /// reaches its start (or gives up) and restarts nothing itself.</para>
    /// </remarks>
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
        TaskCompletionSource? inFlight = null;
        lock (_sync)
        {
            var cold = Cold;
            if (cold.RestartGate is { } running)
            {
                inFlight = running;
            }
            else
            {
                cold.RestartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                cold.StopRequestedDuringRestart = false;
                SetFlag(RestartInFlight);
            }
        }

        if (inFlight is not null)
        {
            await inFlight.Task.ConfigureAwait(ctx);
            return;
        }

        var reset = false;
        var start = false;
        try
        {
            await StopForRestartAsync(cancellationToken).ConfigureAwait(ctx);
            if (!RestartGivesUp())
            {
                ModeInstruments.Restarted(this);
                Reset();
                reset = true;
                SetPhase(ServiceState.Restarting);
                EnterHook(nameof(OnRestartAsync));
                await RunLifecycleAsync(LifecycleOperation.Restart, s_restartHook, cancellationToken).ConfigureAwait(ctx);
                _activity = null;
                start = true;
            }
        }
        finally
        {
            if (reset)
            {
                _activity = null;
            }

            // Also when the stop or OnRestartAsync threw: the waiting stops are released either way.
            start = SettleRestart(reset, start);
        }

        if (start)
        {
            try
            {
                await RunStartAsync(cancellationToken).ConfigureAwait(ctx);
            }
            finally
            {
                // The gate stays closed through the start: a second RestartAsync meanwhile joins this
                // one instead of stopping a service whose OnStartAsync has not run yet (which would
                // let that hook run after the stop, and then start it once more).
                OpenRestartGate();
            }
        }
    }

    private void OpenRestartGate()
    {
        TaskCompletionSource? gate;
        lock (_sync)
        {
            gate = _cold?.RestartGate;
            if (_cold is { } cold)
            {
                cold.RestartGate = null;
            }
        }

        gate?.TrySetResult();
    }

    /// <summary>Whether the restart in flight must not start the service: a stop asked for it, or the owner is stopping.</summary>
    private bool RestartGivesUp()
    {
        lock (_sync)
        {
            return _cold!.StopRequestedDuringRestart || OwnerIsStopping();
        }
    }

    /// <summary>
    /// Ends the restart's in-flight window, atomically with any <see cref="StopAsync"/> (both hold
    /// <c>_sync</c>): claims the start when <paramref name="mayStart"/> and nothing asked for a stop;
    /// otherwise a service that was reset goes back to the stopped state, and the waiting stops and
    /// restarts are woken (after a claimed start, when the start ends).
    /// </summary>
    /// <returns>Whether the caller is to run the start.</returns>
    private bool SettleRestart(bool reset, bool mayStart)
    {
        TaskCompletionSource? gate;
        var claimed = false;
        var restored = false;
        lock (_sync)
        {
            var cold = Cold;
            gate = cold.RestartGate;
            var start = mayStart && !cold.StopRequestedDuringRestart && !OwnerIsStopping();
            cold.StopRequestedDuringRestart = false;
            if (start)
            {
                // One atomic step from "restarting" to "started": a stop that comes after it sees a
                // started service and stops it like any other. The gate stays closed until the start
                // ends (RestartCoreAsync opens it), so that a second restart joins this one.
                UpdateFlags(static f => (f & ~RestartInFlight) | Started);
                claimed = true;
                gate = null;
            }
            else if (reset)
            {
                cold.RestartGate = null;
                restored = true;
                RestoreStopped(fromRestart: true);
            }
            else
            {
                cold.RestartGate = null;
                ClearFlags(RestartInFlight);
            }
        }

        if (restored)
        {
            RestoreChildrenStopped();
        }

        gate?.TrySetResult();
        return claimed;
    }

    /// <summary>
    /// Puts a service that was reset but will not start back into the stopped state — flags first
    /// (a stop arriving now joins), then phase and signals — with no hook run.
    /// </summary>
    /// <returns><see langword="false"/> when it was started or its stop claimed meanwhile (it is left alone).</returns>
    private bool RestoreStopped(bool fromRestart)
    {
        while (true)
        {
            var flags = Volatile.Read(ref _flags);
            if (!fromRestart && (flags & (Started | StopClaimed | RestartInFlight)) != 0)
            {
                return false;
            }

            var next = (flags & ~RestartInFlight) | StopClaimed | Stopping;
            if (Interlocked.CompareExchange(ref _flags, next, flags) == flags)
            {
                break;
            }
        }

        SetPhase(ServiceState.Shutdown);
        _stoppedOrCrashed.Set();
        SetFlag(StopDone);
        _stopCompleted.Set();
        return true;
    }

    /// <summary>The reset of a restart that gave up reset the children too: they go back to stopped as well.</summary>
    private void RestoreChildrenStopped()
    {
        for (var i = 0; ; i++)
        {
            var child = ChildAt(i);
            if (child is null)
            {
                break;
            }

            if (AsService(child) is { } service && service.RestoreStopped(fromRestart: false))
            {
                service.RestoreChildrenStopped();
            }
        }
    }

    private void UpdateFlags(Func<int, int> update)
    {
        while (true)
        {
            var flags = Volatile.Read(ref _flags);
            if (Interlocked.CompareExchange(ref _flags, update(flags), flags) == flags)
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Meant for a stopped (or never started) service; resetting a running one abandons its run.</remarks>
    public void Reset()
    {
        // The children first, while this service still shows its stop: a child's start claimed
        // meanwhile is refused (its owner is stopping) instead of being reset from under it.
        for (var i = 0; ; i++)
        {
            var child = ChildAt(i);
            if (child is null)
            {
                break;
            }

            if (AsService(child) is { } service)
            {
                service.ResetUnlessRestarting();
            }
            else
            {
                child.Reset();
            }
        }

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
        ClearFlags(Crashed | Stopping | StopClaimed | StopDone);
        BeginNewRun();
        ClearFlags(Started);
    }

    /// <summary>
    /// A parent's reset of this child: skipped while the child's own restart is in flight (that
    /// restart resets it itself). Resetting it underneath would clear the stop its restart is
    /// joining, and the restart — and every stop waiting for it — would wait for ever. Under
    /// <c>_sync</c>, where the restart marks itself in flight.
    /// </summary>
    private void ResetUnlessRestarting()
    {
        lock (_sync)
        {
            if (!HasFlag(RestartInFlight))
            {
                Reset();
            }
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

/// <summary>The outcome of claiming a service's start.</summary>
internal enum StartClaim
{
    /// <summary>This call claimed the start and runs it.</summary>
    Claimed,

    /// <summary>A start was claimed before (and not reset).</summary>
    AlreadyStarted,

    /// <summary>Not started: its stop was claimed, its restart is in flight, or its parent or supervisor is stopping.</summary>
    Refused,
}

/// <summary>Lets a non-<see cref="Service"/> implementation (a proxy) take part in crash propagation.</summary>
internal interface ICrashable
{
    void MarkCrashed(Exception reason);
}
