using Microsoft.Extensions.Logging;
using Mode.Diagnostics;

namespace Mode;

/// <summary>
/// The schedule of one running timer: tick <c>k</c> is due at <c>epoch + k·interval</c> on the
/// service's <see cref="TimeProvider"/> (integer tick arithmetic, so nothing accumulates). Keeps
/// Mode's drift and overlap diagnostics and counters. Not thread-safe: one loop drives it.
/// </summary>
public sealed class TimerSchedule
{
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly TimeSpan _driftThreshold;
    private readonly string _service;
    private long _epoch;
    private long _next;
    private TimeSpan _wokeAt;

    internal TimerSchedule(TimeProvider clock, ILogger log, string service, string name, TimeSpan interval, TimeSpan maxDriftCorrection)
    {
        _clock = clock;
        _service = service;
        _log = log;
        Name = name;
        Interval = interval;
        // Mode's max_drift = min(0.3·interval, 1.2 s); a lateness under MaxDriftCorrection is never drift.
        var modeMaxDrift = TimeSpan.FromTicks(Math.Min((long)(interval.Ticks * 0.3), TimeSpan.FromSeconds(1.2).Ticks));
        _driftThreshold = modeMaxDrift > maxDriftCorrection ? modeMaxDrift : maxDriftCorrection;
    }

    /// <summary>The timer's name.</summary>
    public string Name { get; }

    /// <summary>The interval between ticks.</summary>
    public TimeSpan Interval { get; }

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

    internal TimeSpan Elapsed => _clock.GetElapsedTime(_epoch);

    private TimeSpan NextDeadline => TimeSpan.FromTicks(checked(Interval.Ticks * _next));

    internal static TimeSpan ValidateInterval(double seconds, string paramName)
    {
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new ArgumentOutOfRangeException(paramName, seconds, "A timer interval must be a finite number of seconds greater than zero.");
        }

        var interval = TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(seconds * TimeSpan.TicksPerSecond)));
        return interval;
    }

    internal void Start()
    {
        _epoch = _clock.GetTimestamp();
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

        ModeInstruments.Tick(_service, Name, lateness);

        if (lateness >= _driftThreshold)
        {
            Drifts++;
            var level = Interval >= TimeSpan.FromSeconds(1) ? LogLevel.Information : LogLevel.Debug;
            if (_log.IsEnabled(level))
            {
                _log.Log(level, "Timer {Timer} woke up too late, with a drift of +{Drift} interval={Interval}", Name, lateness, Interval);
            }
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
            ModeInstruments.Overlap(_service, Name);
            if (_log.IsEnabled(LogLevel.Warning))
            {
                _log.LogWarning("Timer {Timer} is overlapping (interval={Interval} runtime={Runtime})", Name, Interval, runtime);
            }
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
