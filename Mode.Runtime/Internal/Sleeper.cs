using System.Threading.Tasks.Sources;

namespace Mode.Internal;

/// <summary>
/// A reusable, exception-free sleep for one service: a <see cref="TimeProvider"/> timer re-armed
/// with <see cref="ITimer.Change"/>, one registration on the service's stopping token, and a
/// resettable <see cref="IValueTaskSource{TResult}"/>. Steady-state sleeping allocates nothing, and
/// a stop wakes the sleeper with <see langword="false"/> instead of throwing.
/// </summary>
internal sealed class Sleeper : IValueTaskSource<bool>
{
    // System timers reject due times beyond about 49.7 days: longer sleeps are armed in chunks.
    private static readonly TimeSpan s_maxChunk = TimeSpan.FromDays(30);
    private static readonly TimerCallback s_onTimer = static state => ((Sleeper)state!).OnTimer();
    private static readonly Action<object?> s_onStop = static state => ((Sleeper)state!).Complete(false, null);
    private static readonly Action<object?, CancellationToken> s_onCancel =
        static (state, token) => ((Sleeper)state!).Complete(false, new OperationCanceledException(token));

    private readonly Service _owner;
    private readonly bool _pooled;
    private ManualResetValueTaskSourceCore<bool> _core;
    private ITimer? _timer;
    private TimeProvider? _timerProvider;
    private CancellationToken _stopToken;
    private CancellationTokenRegistration _stopRegistration;
    private CancellationTokenRegistration _userRegistration;
    private int _armed;
    private long _armedAt;
    private TimeSpan _delay;

    public Sleeper(Service owner, bool pooled)
    {
        _owner = owner;
        _pooled = pooled;
    }

    /// <summary>
    /// Sleeps for <paramref name="delay"/>: <see langword="true"/> after the full delay,
    /// <see langword="false"/> when the owner starts stopping. Throws
    /// <see cref="OperationCanceledException"/> only for <paramref name="cancellationToken"/>.
    /// Only one sleep may be pending at a time.
    /// </summary>
    public ValueTask<bool> SleepAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stopToken = _owner.StoppingToken;
        if (stopToken.IsCancellationRequested)
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
        if (stopToken != _stopToken)
        {
            _stopRegistration.Dispose();
            _stopToken = stopToken;
            _stopRegistration = stopToken.UnsafeRegister(s_onStop, this);
        }

        var provider = _owner.TimeProvider;
        if (_timer is null || !ReferenceEquals(provider, _timerProvider))
        {
            _timer?.Dispose();
            _timerProvider = provider;
            _timer = provider.CreateTimer(s_onTimer, this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        _delay = delay;
        _armedAt = provider.GetTimestamp();
        Volatile.Write(ref _armed, 1);
        if (cancellationToken.CanBeCanceled)
        {
            _userRegistration = cancellationToken.UnsafeRegister(s_onCancel, this);
        }

        _timer.Change(delay < s_maxChunk ? delay : s_maxChunk, Timeout.InfiniteTimeSpan);
        if (stopToken.IsCancellationRequested)
        {
            // A stop that raced with arming; the registration may have fired before _armed was set.
            Complete(false, null);
        }

        return new ValueTask<bool>(this, _core.Version);
    }

    private void OnTimer()
    {
        var left = _delay - _timerProvider!.GetElapsedTime(_armedAt);
        if (left > TimeSpan.Zero && Volatile.Read(ref _armed) == 1)
        {
            _timer?.Change(left < s_maxChunk ? left : s_maxChunk, Timeout.InfiniteTimeSpan);
            return;
        }

        Complete(true, null);
    }

    private void Complete(bool result, Exception? error)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0)
        {
            return;
        }

        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _userRegistration.Unregister();
        _userRegistration = default;
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

    /// <summary>Frees the timer and the registration (the owner's run has ended).</summary>
    public void Dispose()
    {
        _stopRegistration.Dispose();
        _stopRegistration = default;
        _stopToken = default;
        _timer?.Dispose();
        _timer = null;
    }

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

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
