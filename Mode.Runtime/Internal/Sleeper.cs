using System.Threading.Tasks.Sources;

namespace Mode.Internal;

/// <summary>
/// A reusable, exception-free sleep for one service: a <see cref="TimeProvider"/> timer re-armed
/// with <see cref="ITimer.Change"/> and a resettable <see cref="IValueTaskSource{TResult}"/>.
/// Steady-state sleeping allocates nothing, and a stop wakes the sleeper with
/// <see langword="false"/> instead of throwing.
/// </summary>
/// <remarks>
/// The owner wakes its sleepers itself when it begins to stop (<see cref="Service"/> keeps them in an
/// intrusive list, <see cref="NextSleeper"/>), rather than each sleeper registering on the stopping
/// token: a registration costs a node of ~80 B per sleeper, plus the token's registration table.
/// </remarks>
internal sealed class Sleeper : IValueTaskSource<bool>
{
    // System timers reject due times beyond about 49.7 days: longer sleeps are armed in chunks.
    private static readonly TimeSpan s_maxChunk = TimeSpan.FromDays(30);
    private static readonly TimeSpan s_timerResolution = TimeSpan.FromMilliseconds(1);
    private static readonly TimerCallback s_onTimer = static state => ((Sleeper)state!).OnTimer();
    private static readonly Action<object?, CancellationToken> s_onCancel =
        static (state, token) => ((Sleeper)state!).Complete(false, new OperationCanceledException(token));

    private readonly Service _owner;
    private readonly bool _pooled;
    private ManualResetValueTaskSourceCore<bool> _core;
    private ITimer? _timer;
    private TimeProvider? _timerProvider;
    private CancellationTokenRegistration _userRegistration;
    private int _armed;
    private long _armedAt;
    private TimeSpan _delay;

    // Test probe (IdleProbe): a timer's or cron job's sleeper holds one busy count from each wake-up
    // (and, at first, from the work's start) until its next sleep is armed.
    private readonly IdleProbe? _tickProbe;
    private IdleProbe? _heldBusy;

    /// <param name="owner">The service whose stop wakes this sleeper.</param>
    /// <param name="pooled">Returned to the owner's pool after each sleep.</param>
    /// <param name="tickProbe">
    /// For a timer or cron job under a test probe: the sleeper takes over the busy count the work's
    /// start entered, and counts each wake-up as busy until the next sleep is armed (or it is disposed).
    /// </param>
    public Sleeper(Service owner, bool pooled, IdleProbe? tickProbe = null)
    {
        _owner = owner;
        _pooled = pooled;
        _tickProbe = tickProbe;
        _heldBusy = tickProbe;
        owner.AddSleeper(this);
    }

    /// <summary>The next sleeper of the same owner (the owner's list; never cleared, so a walk in progress survives a removal).</summary>
    internal Sleeper? NextSleeper { get; set; }

    /// <summary>
    /// Sleeps for <paramref name="delay"/>: <see langword="true"/> after the full delay,
    /// <see langword="false"/> when the owner starts stopping. Throws
    /// <see cref="OperationCanceledException"/> only for <paramref name="cancellationToken"/>.
    /// Only one sleep may be pending at a time.
    /// </summary>
    public ValueTask<bool> SleepAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_owner.IsStopping)
        {
            Release();
            return new ValueTask<bool>(false);
        }

        if (delay <= TimeSpan.Zero)
        {
            Release();
            return new ValueTask<bool>(true);
        }

        _core.Reset();
        // Continuations run where a Task.Delay's would: inline on the thread that completes the sleep,
        // or on the awaiter's captured context (a ServiceThread's loop).
        _core.RunContinuationsAsynchronously = false;

        var provider = _owner.TimeProvider;
        if (_timer is null || !ReferenceEquals(provider, _timerProvider))
        {
            _timer?.Dispose();
            _timerProvider = provider;
            _timer = provider.CreateTimer(s_onTimer, this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        _delay = delay;
        _armedAt = provider.GetTimestamp();
        // A full fence: either the owner's stop (which sets its flag, then wakes its sleepers) sees
        // this sleeper armed, or the check below sees the stop.
        Interlocked.Exchange(ref _armed, 1);
        if (cancellationToken.CanBeCanceled)
        {
            _userRegistration = cancellationToken.UnsafeRegister(s_onCancel, this);
        }

        // The timer is armed in OnCompleted, once the awaiter's continuation is in place: a clock that
        // fires at once (a test's manual clock, advanced from another thread) then always finds it.
        if (_owner.IsStopping)
        {
            // A stop that raced with arming: its wake-up may have passed before _armed was set.
            Complete(false, null);
        }

        return new ValueTask<bool>(this, _core.Version);
    }

    private void OnTimer()
    {
        var left = _delay - _timerProvider!.GetElapsedTime(_armedAt);
        // System timers count whole milliseconds and may fire up to one early; re-arming for such a
        // remainder would cost a second trip through the timer queue (measured: p99 tick jitter of a
        // 10 ms [Timer] 1.4–1.8× PeriodicTimer's). Only a remainder the timer could not have meant
        // (a chunk of a long sleep, a clock that moved) is slept again.
        if (left >= s_timerResolution && Volatile.Read(ref _armed) == 1)
        {
            _timer?.Change(left < s_maxChunk ? left : s_maxChunk, Timeout.InfiniteTimeSpan);
            return;
        }

        Complete(true, null);
    }

    /// <summary>Ends a pending sleep with <see langword="false"/> (the owner is stopping); no-op when none is pending.</summary>
    internal void WakeForStop() => Complete(false, null);

    private void Complete(bool result, Exception? error)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0)
        {
            return;
        }

        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _userRegistration.Unregister();
        _userRegistration = default;
        if (result && _tickProbe is { } probe)
        {
            // The tick begins: busy before its continuation can run anywhere.
            probe.Enter();
            if (Interlocked.CompareExchange(ref _heldBusy, probe, null) is not null)
            {
                probe.Exit();
            }
        }

        if (error is null)
        {
            _core.SetResult(result);
        }
        else
        {
            _core.SetException(error);
        }
    }

    private void Release()
    {
        if (_pooled)
        {
            _owner.ReturnSleeper(this);
        }
    }

    /// <summary>Frees the timer and leaves the owner's list (the owner's run has ended).</summary>
    public void Dispose()
    {
        _owner.RemoveSleeper(this);
        _timer?.Dispose();
        _timer = null;
        ReleaseBusy();
    }

    /// <summary>The work has parked (its timer is armed) or ended: a held busy count is released.</summary>
    private void ReleaseBusy() => Interlocked.Exchange(ref _heldBusy, null)?.Exit();

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Release();
        }
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _core.OnCompleted(continuation, state, token, flags);
        if (Volatile.Read(ref _armed) == 0)
        {
            return;
        }

        var left = _delay - _timerProvider!.GetElapsedTime(_armedAt);
        if (left > TimeSpan.Zero)
        {
            _timer?.Change(left < s_maxChunk ? left : s_maxChunk, Timeout.InfiniteTimeSpan);
            ReleaseBusy();
        }
        else
        {
            // Already due (awaited late): complete off this call, never inside the awaiter's registration.
            ThreadPool.UnsafeQueueUserWorkItem(static sleeper => sleeper.OnTimer(), this, preferLocal: true);
        }
    }
}
