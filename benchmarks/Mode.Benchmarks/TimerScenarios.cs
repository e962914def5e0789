using System.Diagnostics;
using static Mode.Benchmarks.Measure;

namespace Mode.Benchmarks;

/// <summary>One 10 ms timer for a few seconds: tick count, cumulative drift and jitter, against <see cref="PeriodicTimer"/>.</summary>
internal static class TimerScenarios
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(10);

    public static async Task<IEnumerable<Row>> AccuracyAsync(RunOptions options)
    {
        var duration = TimeSpan.FromSeconds(options.TimerSeconds);
        var expected = (int)(duration.Ticks / s_interval.Ticks);

        // Warm-up (jit the timer loops and the first-use paths), then the two timers one after the
        // other (so that neither's callbacks delay the other's), in alternating pairs; each metric is
        // the median over the pairs, so that one noisy window does not decide the row.
        await ModeTimerAsync(TimeSpan.FromMilliseconds(300)).ConfigureAwait(false);
        await PeriodicTimerAsync(TimeSpan.FromMilliseconds(300)).ConfigureAwait(false);
        var pairs = options.Mode == "full" ? 3 : 1;
        var modeRuns = new List<Stats>();
        var periodicRuns = new List<Stats>();
        var skipped = 0L;
        for (var i = 0; i < pairs; i++)
        {
            var mode = await ModeTimerAsync(duration).ConfigureAwait(false);
            var periodic = await PeriodicTimerAsync(duration).ConfigureAwait(false);
            modeRuns.Add(Analyse(mode.Start, mode.Ticks, duration, skipsLikeMode: true));
            periodicRuns.Add(Analyse(periodic.Start, periodic.Ticks, duration, skipsLikeMode: false));
            skipped += mode.Skipped;
        }

        var m = MedianOf(modeRuns);
        var p = MedianOf(periodicRuns);
        var jitterRatio = m.P99JitterMs / p.P99JitterMs;
        var label = $"one 10 ms timer for {duration.TotalSeconds:0} s" + (pairs > 1 ? $" (median of {pairs} runs)" : "");
        return
        [
            new Row(
                label + ": ticks",
                Count(expected) + " expected",
                Count(m.Count),
                Count(p.Count) + " (PeriodicTimer)",
                "—",
                $"{m.Count - expected:+0;-0;0} vs expected; {skipped} skipped after a late wake-up in all runs",
                "within ±1",
                YesNo(Math.Abs(m.Count - expected) <= 1)),
            new Row(
                label + ": max cumulative drift (tick k vs start + k·10 ms, 10-tick running median; max single lateness)",
                "",
                $"{Ms(m.MaxDriftMs)} ({Ms(m.MaxLatenessMs)})",
                $"{Ms(p.MaxDriftMs)} ({Ms(p.MaxLatenessMs)}) (PeriodicTimer)",
                "—",
                "",
                "≤ 10 ms (one interval)",
                YesNo(m.MaxDriftMs <= 10)),
            new Row(
                label + ": p99 jitter |Δt − 10 ms|",
                "",
                Ms(m.P99JitterMs),
                Ms(p.P99JitterMs) + " (PeriodicTimer)",
                "—",
                $"{Times(jitterRatio)} PeriodicTimer",
                "≤ 1.2× PeriodicTimer",
                YesNo(jitterRatio <= 1.2)),
        ];
    }

    /// <param name="Count">Ticks inside the window.</param>
    /// <param name="MaxDriftMs">The largest cumulative drift: the lateness of tick k against start + k·interval,
    /// as a running median over 10 ticks, so that one late wake-up (the OS did not schedule the
    /// process) is not counted as drift while lateness that accumulates is.</param>
    /// <param name="MaxLatenessMs">The largest lateness of a single tick.</param>
    /// <param name="P99JitterMs">The 99th percentile of |Δt − interval| between consecutive ticks.</param>
    private sealed record Stats(int Count, double MaxDriftMs, double MaxLatenessMs, double P99JitterMs);

    private static Stats MedianOf(List<Stats> runs) => new(
        (int)Median(runs.Select(static r => (double)r.Count)),
        Median(runs.Select(static r => r.MaxDriftMs)),
        Median(runs.Select(static r => r.MaxLatenessMs)),
        Median(runs.Select(static r => r.P99JitterMs)));

    /// <summary>
    /// Tick k is compared with its deadline start + j·interval. For <see cref="PeriodicTimer"/>, which
    /// fires missed periods at once, j = k + 1. Mode skips the deadlines a tick overran (no bursts;
    /// README, "Differences from Python Mode"), so after a tick that ended past its successor's
    /// deadline, j resumes at the next deadline still ahead, as <c>TimerSchedule</c> does.
    /// </summary>
    private static Stats Analyse(long start, IReadOnlyList<long> ticks, TimeSpan duration, bool skipsLikeMode)
    {
        var perInterval = s_interval.TotalSeconds * Stopwatch.Frequency;
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var inWindow = ticks.Where(t => t <= end).ToArray();
        var maxLateness = 0.0;
        var lateness = new double[inWindow.Length];
        var jitter = new List<double>();
        var j = 0L;
        for (var k = 0; k < inWindow.Length; k++)
        {
            j++;
            if (skipsLikeMode && k > 0 && inWindow[k - 1] - start >= j * perInterval)
            {
                j = (long)((inWindow[k - 1] - start) / perInterval) + 1;
            }

            var ideal = start + (j * perInterval);
            lateness[k] = (inWindow[k] - ideal) * 1000.0 / Stopwatch.Frequency;
            maxLateness = Math.Max(maxLateness, Math.Abs(lateness[k]));
            if (k > 0)
            {
                var delta = (inWindow[k] - inWindow[k - 1]) * 1000.0 / Stopwatch.Frequency;
                jitter.Add(Math.Abs(delta - s_interval.TotalMilliseconds));
            }
        }

        var maxDrift = 0.0;
        for (var k = 0; k + 10 <= lateness.Length; k++)
        {
            maxDrift = Math.Max(maxDrift, Math.Abs(Median(lateness.Skip(k).Take(10))));
        }

        return new Stats(inWindow.Length, maxDrift, maxLateness, Percentile(jitter, 0.99));
    }

    private static async Task<(long Start, IReadOnlyList<long> Ticks, long Skipped)> ModeTimerAsync(TimeSpan duration)
    {
        var service = new RecordingTimerService(capacity: (int)(duration / s_interval) * 2 + 16);
        var start = Stopwatch.GetTimestamp();
        await service.StartAsync().ConfigureAwait(false);
        await Task.Delay(duration + TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        var skipped = service.Timers.Sum(static t => t.SkippedTicks);
        await service.StopAsync().ConfigureAwait(false);
        return (start, service.Recorded, skipped);
    }

    private static async Task<(long Start, IReadOnlyList<long> Ticks)> PeriodicTimerAsync(TimeSpan duration)
    {
        var recorded = new List<long>((int)(duration / s_interval) * 2 + 16);
        var start = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(s_interval);
        var loop = LoopAsync(timer, recorded);
        await Task.Delay(duration + TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        timer.Dispose();
        await loop.ConfigureAwait(false);
        return (start, recorded);

        static async Task LoopAsync(PeriodicTimer timer, List<long> recorded)
        {
            while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                recorded.Add(Stopwatch.GetTimestamp());
            }
        }
    }
}

/// <summary>A service with one 10 ms <c>[Timer]</c> that records when each tick ran.</summary>
internal sealed class RecordingTimerService(int capacity) : Service
{
    private readonly List<long> _recorded = new(capacity);

    public IReadOnlyList<long> Recorded => _recorded;

    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        base.ConfigureWiring(wiring);
        wiring.AddTimer("RecordingTimerService.Tick", 0.01, static (s, ct) =>
        {
            ((RecordingTimerService)s).Tick();
            return default;
        });
    }

    // [Timer(0.01)]
    private void Tick() => _recorded.Add(Stopwatch.GetTimestamp());
}
