namespace Mode.TestKit;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when a test calls <see cref="Advance"/>.
/// Timers fire inline, in deadline order, on the thread that advances the clock, so everything a
/// timer wakes runs before <see cref="Advance"/> returns unless it hops to another thread.
/// </summary>
/// <remarks>
/// Timestamps and wall-clock time move together; <see cref="TimestampFrequency"/> is
/// <see cref="TimeSpan.TicksPerSecond"/>, so <c>GetElapsedTime</c> is exact.
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _armedWaiters = [];
    private long _nowTicks;
    private long _sequence;

    /// <summary>Creates a clock starting at <paramref name="start"/> (default 2026-01-01T00:00Z).</summary>
    public ManualTimeProvider(DateTimeOffset? start = null)
    {
        _nowTicks = (start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).UtcTicks;
    }

    /// <summary>The time zone <see cref="TimeProvider.GetLocalNow"/> uses (default UTC).</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => TimeZone;

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>How many timers are armed (have a due time) right now.</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(static t => t.DueTicks.HasValue);
            }
        }
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _nowTicks), TimeSpan.Zero);

    /// <inheritdoc/>
    public override long GetTimestamp() => Interlocked.Read(ref _nowTicks);

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes when at least <paramref name="count"/> timers are armed (a sleeper is waiting).</summary>
    public Task WaitForArmedTimersAsync(int count = 1)
    {
        lock (_lock)
        {
            if (_timers.Count(static t => t.DueTicks.HasValue) >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _armedWaiters.Add((count, done));
            return done.Task;
        }
    }

    /// <summary>Moves time forward by <paramref name="delta"/>, firing every timer that falls due, in order.</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "Time only moves forward.");
        }

        var target = Interlocked.Read(ref _nowTicks) + delta.Ticks;
        while (true)
        {
            ManualTimer? next = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueTicks is { } due && due <= target &&
                        (next is null || due < next.DueTicks || (due == next.DueTicks && timer.Sequence < next.Sequence)))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    // A callback may itself have advanced the clock past the target: never go back.
                    Interlocked.Exchange(ref _nowTicks, Math.Max(target, _nowTicks));
                    return;
                }

                if (next.DueTicks!.Value > _nowTicks)
                {
                    Interlocked.Exchange(ref _nowTicks, next.DueTicks.Value);
                }

                next.Fired();
            }

            next.Invoke();
        }
    }

    /// <summary>
    /// Moves time forward by <paramref name="delta"/> without firing anything, as when the thread
    /// that runs timers is blocked. The next <see cref="Advance"/> fires the overdue timers, late.
    /// </summary>
    public void Jump(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "Time only moves forward.");
        }

        lock (_lock)
        {
            _nowTicks += delta.Ticks;
        }
    }

    /// <summary>Advances to an absolute time; see <see cref="Advance"/>.</summary>
    public void AdvanceTo(DateTimeOffset time) => Advance(time - GetUtcNow());

    private void OnChanged()
    {
        List<TaskCompletionSource>? ready = null;
        lock (_lock)
        {
            var armed = _timers.Count(static t => t.DueTicks.HasValue);
            for (var i = _armedWaiters.Count - 1; i >= 0; i--)
            {
                if (armed >= _armedWaiters[i].Count)
                {
                    (ready ??= []).Add(_armedWaiters[i].Done);
                    _armedWaiters.RemoveAt(i);
                }
            }
        }

        ready?.ForEach(static d => d.TrySetResult());
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private long _periodTicks;

        public long? DueTicks { get; private set; }

        public long Sequence { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                if (!owner._timers.Contains(this))
                {
                    return false;
                }

                DueTicks = dueTime == Timeout.InfiniteTimeSpan ? null : owner._nowTicks + Math.Max(0, dueTime.Ticks);
                _periodTicks = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
                Sequence = ++owner._sequence;
            }

            owner.OnChanged();
            return true;
        }

        // Called under the owner's lock when the timer falls due.
        public void Fired()
        {
            DueTicks = _periodTicks > 0 ? DueTicks + _periodTicks : null;
            Sequence = ++owner._sequence;
        }

        public void Invoke() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
