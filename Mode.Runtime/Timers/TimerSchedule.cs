using Microsoft.Extensions.Logging;
using Mode.Background;
using Mode.Diagnostics;
using Mode.Logging;

namespace Mode;

/// <summary>
/// The schedule of one running timer: tick <c>k</c> is due at <c>epoch + k·interval</c> on the
/// service's <see cref="TimeProvider"/> (integer tick arithmetic, so nothing accumulates). Keeps
/// Mode's drift and overlap diagnostics and counters. Not thread-safe: one loop drives it.
/// </summary>
public sealed class TimerSchedule
{
    private readonly Service _owner;
    private readonly TimerWork _timer;
    private long _epoch;
    private long _next;
    private TimeSpan _wokeAt;

    /// <summary>Creates the schedule of one run of <paramref name="timer"/> on <paramref name="owner"/>'s clock.</summary>
    internal TimerSchedule(Service owner, TimerWork timer)
    {
        _owner = owner;
        _timer = timer;
    }

    /// <summary>The timer's name.</summary>
    public string Name => _timer.Name;

    /// <summary>The interval between ticks.</summary>
    public TimeSpan Interval => _timer.Interval;

    /// <summary>How many ticks ran.</summary>
    public long Ticks { get; private set; }

    /// <summary>How many ticks woke later than the drift threshold.</summary>
    public long Drifts { get; private set; }

    /// <summary>How many ticks ran longer than the interval.</summary>
    public long Overlaps { get; private set; }

    /// <summary>How many deadlines were skipped because a tick overran them.</summary>
    public long SkippedTicks { get; private set; }

    /// <summary>The largest lateness of a wake-up seen so far.</summary>
    public TimeSpan MaxLateness { get; private set; }

    internal TimeSpan Elapsed => _owner.TimeProvider.GetElapsedTime(_epoch);

    private TimeSpan NextDeadline => TimeSpan.FromTicks(checked(Interval.Ticks * _next));

    internal void Start()
    {
        _epoch = _owner.TimeProvider.GetTimestamp();
        _next = 1;
    }

    internal TimeSpan DelayUntilNext()
    {
        var delay = NextDeadline - Elapsed;
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    internal TimeSpan OnWake()
    {
        var elapsed = Elapsed;
        var lateness = elapsed - NextDeadline;
        var slept = elapsed - _wokeAt;
        _wokeAt = elapsed;
        Ticks++;
        if (lateness > MaxLateness)
        {
            MaxLateness = lateness;
        }

        ModeInstruments.Tick(_owner, Name, lateness);

        if (lateness >= _timer.DriftThreshold)
        {
            Drifts++;
            ServiceLog.TimerDrift(_owner.Logger, Interval >= TimeSpan.FromSeconds(1) ? LogLevel.Information : LogLevel.Debug, Name, lateness, Interval);
        }

        return slept;
    }

    internal void OnTickDone()
    {
        var elapsed = Elapsed;
        var runtime = elapsed - _wokeAt;
        if (runtime > Interval)
        {
            Overlaps++;
            ModeInstruments.Overlap(_owner, Name);
            ServiceLog.TimerOverlapping(_owner.Logger, Name, Interval, runtime);
        }

        _next++;
        if (elapsed > NextDeadline)
        {
            // Overran one or more deadlines: resume at the next one still ahead instead of bursting.
            var resume = (elapsed.Ticks / Interval.Ticks) + 1;
            SkippedTicks += resume - _next;
            _next = resume;
        }
    }
}
