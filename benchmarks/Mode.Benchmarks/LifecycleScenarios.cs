using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using static Mode.Benchmarks.Measure;

namespace Mode.Benchmarks;

/// <summary>Start, then stop, trees of N services, against the bare loop and the Generic Host.</summary>
internal static class LifecycleScenarios
{
    private static readonly TimeSpan s_allRunningTimeout = TimeSpan.FromMinutes(2);

    /// <summary>A tree of N trivial services (fan-out 10): µs per service for start and for stop.</summary>
    public static async Task<IEnumerable<Row>> TrivialTreeAsync(RunOptions options)
    {
        var rows = new List<Row>();
        foreach (var n in options.Sizes)
        {
            var reps = n >= 100_000 ? Math.Max(3, options.Repeats / 2) : options.Repeats;
            var medians = await RoundsAsync(
                options.Warmups,
                reps,
                () => ModeTreeAsync(n, static () => new TrivialService(), waitRunning: false),
                () => BareLoopAsync(n, static () => new PlainObject(), waitRunning: false),
                () => HostAsync(n, static () => new TrivialHosted(), waitRunning: false)).ConfigureAwait(false);
            var (mode, bare, host) = (medians[0], medians[1], medians[2]);
            rows.Add(TrivialRow("trivial tree (fan-out 10): start", n, mode[0], bare[0], host[0], minHostRatio: 3));
            rows.Add(TrivialRow("trivial tree (fan-out 10): stop", n, mode[1], bare[1], host[1], minHostRatio: 0));
        }

        return rows;
    }

    /// <param name="minHostRatio">The bar's "at least this many times faster than the Host" (0: none).</param>
    private static Row TrivialRow(string scenario, int n, double mode, double bare, double host, double minHostRatio)
    {
        var ratio = mode / bare;
        var bar = "bar: ≤ 60× bare" + (minHostRatio > 0 ? $", ≥ {minHostRatio}× faster than Host" : "");
        return new Row(
            scenario,
            Count(n),
            Us(mode),
            Us(bare),
            Us(host),
            $"{Times(ratio)} bare; {Times(host / mode)} faster than Host",
            $"≤ 10× bare ({bar})",
            YesNo(ratio <= 10, ratio <= 60 && host / mode >= minHostRatio));
    }

    /// <summary>
    /// The same tree with one <c>[Task]</c> per service looping on <c>SleepAsync</c>: start lasts until
    /// every loop is sleeping, stop until every loop has ended.
    /// </summary>
    public static async Task<IEnumerable<Row>> TaskTreeAsync(RunOptions options)
    {
        var rows = new List<Row>();
        foreach (var n in options.Sizes)
        {
            var reps = n >= 100_000 ? Math.Max(3, options.Repeats / 2) : options.Repeats;
            var medians = await RoundsAsync(
                options.Warmups,
                reps,
                () => ModeTreeAsync(n, static () => new SleepyService(), waitRunning: true),
                () => BareLoopAsync(n, static () => new BareSleeper(), waitRunning: true),
                () => HostAsync(n, static () => new SleepyBackgroundService(), waitRunning: true),
                () => BareLoopAsync(n, static () => new BareHopSleeper(), waitRunning: true)).ConfigureAwait(false);
            var (mode, bare, host, hop) = (medians[0], medians[1], medians[2], medians[3]);
            var startRatio = mode[0] / bare[0];
            rows.Add(new Row(
                "one [Task] on SleepAsync: start",
                Count(n),
                Us(mode[0]),
                Us(bare[0]),
                Us(host[0]),
                $"{Times(startRatio)} bare; {Times(mode[0] / hop[0])} bare+hop ({Us(hop[0])}); {Times(host[0] / mode[0])} faster than Host",
                "≤ 1.5× bare (bar: ≤ 2.5× bare+hop, ≤ 3.5× bare, ≥ 1.5× faster than Host)",
                YesNo(startRatio <= 1.5, mode[0] / hop[0] <= 2.5 && startRatio <= 3.5 && host[0] / mode[0] >= 1.5)));
            var stopRatio = mode[1] / bare[1];
            var hostRatio = host[1] / mode[1];
            rows.Add(new Row(
                "one [Task] on SleepAsync: stop",
                Count(n),
                Us(mode[1]),
                Us(bare[1]),
                Us(host[1]),
                $"{Times(stopRatio)} bare; {Times(hostRatio)} faster than Host",
                "≤ 1.5× bare; ≥ 5× faster than Host",
                YesNo(stopRatio <= 1.5 && hostRatio >= 5)));
        }

        return rows;
    }

    /// <summary>Stop latency: wall time of one stop of 1,000 running services sleeping in a task.</summary>
    public static async Task<IEnumerable<Row>> StopLatencyAsync(RunOptions options)
    {
        const int n = 1_000;
        var medians = await RoundsAsync(
            options.Warmups,
            options.Repeats,
            () => ModeTreeAsync(n, static () => new SleepyService(), waitRunning: true, fanOut: n),
            () => BareLoopAsync(n, static () => new BareSleeper(), waitRunning: true),
            () => HostAsync(n, static () => new SleepyBackgroundService(), waitRunning: true)).ConfigureAwait(false);
        // Per-service µs × n = the wall time of the whole stop, in µs.
        var (mode, bare, host) = (medians[0][1] * n / 1000, medians[1][1] * n / 1000, medians[2][1] * n / 1000);
        var ratio = mode / bare;
        var hostRatio = host / mode;
        return
        [
            new Row(
                "stop latency, 1,000 services sleeping in a [Task] (one parent)",
                Count(n),
                Ms(mode),
                Ms(bare),
                Ms(host),
                $"{Times(ratio)} bare; {Times(hostRatio)} faster than Host",
                "≤ 1.5× bare; ≥ 2× faster than Host",
                YesNo(ratio <= 1.5 && hostRatio >= 2)),
        ];
    }

    /// <summary>Returns µs per service: [start, stop].</summary>
    private static async Task<double[]> ModeTreeAsync<T>(int n, Func<T> factory, bool waitRunning, int fanOut = 10) where T : Service
    {
        var services = Trees.Build(n, fanOut, factory);
        var root = services[0];
        Collect();
        Running.Expect(waitRunning ? n : 0);
        var t0 = Stopwatch.GetTimestamp();
        await root.StartAsync().ConfigureAwait(false);
        await Running.AllAsync(s_allRunningTimeout).ConfigureAwait(false);
        var t1 = Stopwatch.GetTimestamp();
        await root.StopAsync().ConfigureAwait(false);
        var t2 = Stopwatch.GetTimestamp();
        GC.KeepAlive(services);
        return [ElapsedUs(t0, t1) / n, ElapsedUs(t1, t2) / n];
    }

    private static async Task<double[]> BareLoopAsync(int n, Func<IPlain> factory, bool waitRunning)
    {
        var objects = new IPlain[n];
        for (var i = 0; i < n; i++)
        {
            objects[i] = factory();
        }

        Collect();
        Running.Expect(waitRunning ? n : 0);
        var t0 = Stopwatch.GetTimestamp();
        foreach (var o in objects)
        {
            await o.StartAsync(default).ConfigureAwait(false);
        }

        await Running.AllAsync(s_allRunningTimeout).ConfigureAwait(false);
        var t1 = Stopwatch.GetTimestamp();
        for (var i = n - 1; i >= 0; i--)
        {
            await objects[i].StopAsync(default).ConfigureAwait(false);
        }

        var t2 = Stopwatch.GetTimestamp();
        return [ElapsedUs(t0, t1) / n, ElapsedUs(t1, t2) / n];
    }

    private static async Task<double[]> HostAsync(int n, Func<IHostedService> factory, bool waitRunning)
    {
        using var host = Hosts.Build(n, factory);
        Collect();
        Running.Expect(waitRunning ? n : 0);
        var t0 = Stopwatch.GetTimestamp();
        await host.StartAsync().ConfigureAwait(false);
        await Running.AllAsync(s_allRunningTimeout).ConfigureAwait(false);
        var t1 = Stopwatch.GetTimestamp();
        await host.StopAsync().ConfigureAwait(false);
        var t2 = Stopwatch.GetTimestamp();
        return [ElapsedUs(t0, t1) / n, ElapsedUs(t1, t2) / n];
    }
}
