using Microsoft.Extensions.Time.Testing;

namespace Mode.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also knows its armed timers: when the next one is due
/// (<see cref="NextDueTime"/>), how many are armed (<see cref="ArmedTimers"/>,
/// <see cref="WaitForArmedTimersAsync"/>), and how to move time so that every timer fires at its own
/// due time (<see cref="AdvanceStepwise"/>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="FakeTimeProvider.Advance"/> sets the clock to the target first and then fires what is
/// due, so a 1 s timer advanced by 10 s wakes once, 9 s late (as after a machine pause).
/// <see cref="AdvanceStepwise"/> stops at each due time instead, so the same advance wakes it ten
/// times, each on time. Both are useful; the harness (<see cref="ServiceHarness"/>) advances stepwise.
/// </para>
/// <para>
/// Timers fire inline, on the thread that moves the clock. Do not combine the stepwise methods with
/// <see cref="FakeTimeProvider.AutoAdvanceAmount"/>: due times are read from the clock when a timer is armed.
/// </para>
/// <para>
/// The methods of this class that move time take turns: two threads advancing at once each get
/// their whole advance (the second from where the first left the clock), never a clock that jumps
/// back or an advance that throws because the other moved first.
/// </para>
/// </remarks>
public class VirtualClock : FakeTimeProvider
{
    private readonly object _lock = new();

    // Held for a whole advance (AdvanceStepwise, AdvanceToNextDueTime, Jump): one at a time. It is
    // reentrant, so a timer callback fired inline may advance the clock itself.
    private readonly object _advancing = new();
    private readonly List<TrackedTimer> _timers = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _armedWaiters = [];

    // While Jump moves the clock, timers that fall due are held (TrackedTimer.Late) instead of firing.
    private volatile bool _holding;

    /// <summary>Creates a clock at 2026-01-01T00:00Z (<see cref="DefaultStart"/>).</summary>
    public VirtualClock()
        : base(DefaultStart)
    {
    }

    /// <summary>Creates a clock at <paramref name="start"/>.</summary>
    /// <param name="start">The initial time.</param>
    public VirtualClock(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>The start of a clock created without one: 2026-01-01T00:00Z.</summary>
    public static DateTimeOffset DefaultStart { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How many timers created by this clock are armed (have a due time) right now.</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_lock)
            {
                return CountArmed();
            }
        }
    }

    /// <summary>The earliest due time of an armed timer, or <see langword="null"/> when none is armed.</summary>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            lock (_lock)
            {
                DateTimeOffset? next = null;
                foreach (var timer in _timers)
                {
                    if (timer.DueAt is { } due && (next is null || due < next))
                    {
                        next = due;
                    }
                }

                return next;
            }
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> timers are armed (for example, a sleeper is waiting).</summary>
    /// <param name="count">How many armed timers to wait for.</param>
    /// <returns>A task that completes once that many are armed.</returns>
    public Task WaitForArmedTimersAsync(int count = 1)
    {
        lock (_lock)
        {
            if (CountArmed() >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _armedWaiters.Add((count, done));
            return done.Task;
        }
    }

    /// <summary>
    /// Moves time forward by <paramref name="delta"/>, stopping at each armed timer's due time on the
    /// way (in order) so that each fires at its own time, then at the target.
    /// </summary>
    /// <param name="delta">How far to move; not negative.</param>
    public void AdvanceStepwise(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_advancing)
        {
            AdvanceStepwiseTo(GetUtcNow() + delta);
        }
    }

    /// <summary>Moves time forward to <paramref name="target"/>, stepwise (see <see cref="AdvanceStepwise"/>).</summary>
    /// <param name="target">The time to reach; not before now.</param>
    public void AdvanceStepwiseTo(DateTimeOffset target)
    {
        lock (_advancing)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(target, GetUtcNow());
            while (NextDueTime is { } next && next <= target)
            {
                MoveTo(next);
            }

            MoveTo(target);
        }
    }

    /// <summary>Moves time to the next due time and fires what is due there.</summary>
    /// <returns>The new time, or <see langword="null"/> when no timer is armed (time does not move).</returns>
    public DateTimeOffset? AdvanceToNextDueTime()
    {
        lock (_advancing)
        {
            if (NextDueTime is not { } next)
            {
                return null;
            }

            MoveTo(next);
            return GetUtcNow();
        }
    }

    /// <summary>
    /// Moves time forward by <paramref name="delta"/> without firing anything, as while the thread that
    /// runs timers is blocked: the timers that fall due stay due, and the next stepwise advance (or
    /// <see cref="AdvanceToNextDueTime"/>) fires them first, late. (<see cref="FakeTimeProvider.AdjustTime"/>
    /// is different: it moves the timers' due times along with the clock.)
    /// </summary>
    /// <param name="delta">How far to move; not negative.</param>
    public void Jump(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_advancing)
        {
            _holding = true;
            try
            {
                SetUtcNow(GetUtcNow() + delta);
            }
            finally
            {
                _holding = false;
            }
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new TrackedTimer(this, callback, state);
        timer.Inner = base.CreateTimer(static s => ((TrackedTimer)s!).Fire(), timer, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    // Fires the timers a Jump held (in due order), then moves to the time; a due time at or before
    // now fires too (SetUtcNow never moves back).
    internal void MoveTo(DateTimeOffset time)
    {
        while (true)
        {
            TrackedTimer? late = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.Late && (late is null || timer.DueAt < late.DueAt))
                    {
                        late = timer;
                    }
                }
            }

            if (late is null)
            {
                break;
            }

            late.FireLate();
        }

        SetUtcNow(time > GetUtcNow() ? time : GetUtcNow());
    }

    private int CountArmed()
    {
        var armed = 0;
        foreach (var timer in _timers)
        {
            if (timer.DueAt.HasValue)
            {
                armed++;
            }
        }

        return armed;
    }

    private void OnArmedChanged()
    {
        List<TaskCompletionSource>? ready = null;
        lock (_lock)
        {
            var armed = CountArmed();
            for (var i = _armedWaiters.Count - 1; i >= 0; i--)
            {
                if (armed >= _armedWaiters[i].Count)
                {
                    (ready ??= []).Add(_armedWaiters[i].Done);
                    _armedWaiters.RemoveAt(i);
                }
            }
        }

        ready?.ForEach(static done => done.TrySetResult());
    }

    /// <summary>The <see cref="FakeTimeProvider"/> timer, with its due time written down.</summary>
    private sealed class TrackedTimer(VirtualClock owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period;
        private int _version; // bumped by every change and firing (guarded by the owner's lock)

        public ITimer Inner { get; set; } = null!;

        /// <summary>When the timer fires next (guarded by the owner's lock), or <see langword="null"/>.</summary>
        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var delay = dueTime > TimeSpan.Zero ? dueTime : TimeSpan.Zero;
            int version;
            lock (owner._lock)
            {
                if (!owner._timers.Contains(this))
                {
                    return false;
                }

                Late = false;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + delay;
                _period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? TimeSpan.Zero : period;
                version = ++_version;
            }

            // Outside the lock: a timer due at once fires inline, and its callback runs user code.
            Inner.Change(dueTime, period);

            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                lock (owner._lock)
                {
                    // The clock may have moved (another thread advancing it) between the due time
                    // written above and the inner timer's own reading of "now": the inner timer is due
                    // no earlier than now + delay. A due time written too early would never fire, and a
                    // stepwise advance would stop at it for ever; written late, the timer still fires
                    // when the clock passes its real due time. Unless it fired (or changed) meanwhile.
                    if (version == _version && DueAt is { } written && owner.GetUtcNow() + delay > written)
                    {
                        DueAt = owner.GetUtcNow() + delay;
                    }
                }
            }

            owner.OnArmedChanged();
            return true;
        }

        /// <summary>Fell due during a <see cref="Jump"/>: fires at the next move (guarded by the owner's lock).</summary>
        public bool Late { get; private set; }

        public void Fire()
        {
            lock (owner._lock)
            {
                if (owner._holding)
                {
                    Late = true;
                    return;
                }

                DueAt = _period > TimeSpan.Zero ? DueAt + _period : null;
                _version++;
            }

            callback(state);
        }

        public void FireLate()
        {
            lock (owner._lock)
            {
                if (!Late)
                {
                    return;
                }

                Late = false;
                DueAt = _period > TimeSpan.Zero ? DueAt + _period : null;
                _version++;
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                DueAt = null;
                Late = false;
                _version++;
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
