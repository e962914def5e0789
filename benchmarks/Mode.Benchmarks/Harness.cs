using System.Diagnostics;
using System.Globalization;

namespace Mode.Benchmarks;

/// <summary>How much work a run does: <c>--smoke</c> (CI, &lt; 30 s), <c>--quick</c> (&lt; 2 min) or the full run (&lt; 15 min).</summary>
internal sealed record RunOptions(string Mode, int[] Sizes, int Warmups, int Repeats, double TimerSeconds, int[] CompilationSizes, bool Aot, string? Only)
{
    public static RunOptions Parse(string[] args)
    {
        var parsed = ParseMode(args);
        // For profiling: MODE_BENCH_REPEATS / MODE_BENCH_SIZES / MODE_BENCH_COMPILATION_SIZES override the mode's defaults.
        if (int.TryParse(Environment.GetEnvironmentVariable("MODE_BENCH_REPEATS"), out var repeats) && repeats > 0)
        {
            parsed = parsed with { Repeats = repeats };
        }

        if (Environment.GetEnvironmentVariable("MODE_BENCH_SIZES") is { Length: > 0 } sizes)
        {
            parsed = parsed with { Sizes = sizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() };
        }

        if (Environment.GetEnvironmentVariable("MODE_BENCH_COMPILATION_SIZES") is { Length: > 0 } compilationSizes)
        {
            parsed = parsed with { CompilationSizes = compilationSizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() };
        }

        return parsed;
    }

    private static RunOptions ParseMode(string[] args)
    {
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        if (args.Contains("--smoke"))
        {
            return new("smoke", [1_000], 1, 3, 1.0, [200], false, only);
        }

        if (args.Contains("--quick"))
        {
            return new("quick", [1_000, 10_000], 1, 5, 2.0, [1_000], false, only);
        }

        return new("full", [1_000, 10_000, 100_000], 2, 15, 5.0, [1_000, 5_000], !args.Contains("--no-aot"), only);
    }

    public bool Runs(string scenario) => Only is null || scenario.Contains(Only, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One line of the results table.</summary>
internal sealed record Row(
    string Scenario,
    string N,
    string Mode,
    string Bare,
    string Host,
    string Ratio,
    string Target,
    string Met);

/// <summary>Timing and statistics helpers shared by the scenarios.</summary>
internal static class Measure
{
    public static double ElapsedUs(long from, long to) => (to - from) * 1_000_000.0 / Stopwatch.Frequency;

    public static double ElapsedMs(long from, long to) => (to - from) * 1_000.0 / Stopwatch.Frequency;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>A full, compacting collection, so that one measurement does not pay for the garbage of the previous one.</summary>
    public static void Collect()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>
    /// Runs every contender once per round, in a rotating order (so drift in the machine's load hits
    /// them alike), <paramref name="warmups"/> rounds unrecorded, then <paramref name="repeats"/>
    /// recorded; returns each contender's median per metric.
    /// </summary>
    public static async Task<double[][]> RoundsAsync(int warmups, int repeats, params Func<Task<double[]>>[] contenders)
    {
        var samples = contenders.Select(_ => new List<double[]>()).ToArray();
        for (var round = 0; round < warmups + repeats; round++)
        {
            for (var k = 0; k < contenders.Length; k++)
            {
                var index = (round + k) % contenders.Length;
                Collect();
                var result = await contenders[index]().ConfigureAwait(false);
                if (round >= warmups)
                {
                    samples[index].Add(result);
                }
            }
        }

        return samples
            .Select(list => Enumerable.Range(0, list[0].Length).Select(m => Median(list.Select(r => r[m]))).ToArray())
            .ToArray();
    }

    public static string Us(double us) => us switch
    {
        double.NaN => "n/a",
        < 0.1 => us.ToString("0.000", CultureInfo.InvariantCulture) + " µs",
        < 10 => us.ToString("0.00", CultureInfo.InvariantCulture) + " µs",
        _ => us.ToString("0.0", CultureInfo.InvariantCulture) + " µs",
    };

    public static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Bytes(double bytes) => double.IsNaN(bytes) ? "n/a" : bytes.ToString("#,0", CultureInfo.InvariantCulture) + " B";

    public static string MiB(double bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.00", CultureInfo.InvariantCulture) + " MiB";

    public static string Times(double ratio) => double.IsNaN(ratio) ? "n/a" : ratio.ToString(ratio < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "×";

    public static string Count(int n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    public static string YesNo(bool met) => met ? "yes" : "**no**";

    /// <summary>
    /// The met column of a row whose issue target was shown to be out of reach: the target's verdict,
    /// then that of the best achievable bar docs/performance.md sets instead (a regression check).
    /// </summary>
    public static string YesNo(bool met, bool barMet) => met ? "yes" : $"**no**; bar: {YesNo(barMet)}";
}

/// <summary>
/// Counts services that reached their first sleep, so that "start" means "every background loop is
/// running" for Mode, the bare loops and the Host alike (Mode and the Host both begin background
/// work after their start returns).
/// </summary>
internal static class Running
{
    private static int s_remaining;
    private static TaskCompletionSource s_all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Expect(int count)
    {
        s_all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref s_remaining, count);
        if (count == 0)
        {
            s_all.TrySetResult();
        }
    }

    public static void Signal()
    {
        if (Interlocked.Decrement(ref s_remaining) == 0)
        {
            s_all.TrySetResult();
        }
    }

    public static Task AllAsync(TimeSpan timeout) => s_all.Task.WaitAsync(timeout);
}
