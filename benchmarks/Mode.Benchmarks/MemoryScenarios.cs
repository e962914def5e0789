using Microsoft.Extensions.Hosting;
using static Mode.Benchmarks.Measure;

namespace Mode.Benchmarks;

/// <summary>Memory of running idle services, and allocation per timer tick.</summary>
internal static class MemoryScenarios
{
    private static readonly TimeSpan s_settle = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Bytes retained per running idle service (one task sleeping in a loop, one 1 s timer):
    /// <c>GC.GetTotalMemory(true)</c> after N started instances minus before, divided by N.
    /// Each instance is a standalone root (no parent), so no tree bookkeeping is counted.
    /// </summary>
    public static async Task<IEnumerable<Row>> IdleMemoryAsync(RunOptions options)
    {
        var rows = new List<Row>();
        foreach (var n in options.Sizes.Where(static n => n <= 10_000))
        {
            var medians = await RoundsAsync(
                options.Warmups,
                Math.Max(3, options.Repeats / 3),
                () => ModeIdleAsync(n),
                () => BareIdleAsync(n),
                () => HostIdleAsync(n)).ConfigureAwait(false);
            var (mode, bare, host) = (medians[0][0], medians[1][0], medians[2][0]);
            var ratio = mode / bare;
            rows.Add(new Row(
                "memory per running idle service ([Task] + [Timer(1)]; Host: one loop)",
                Count(n),
                Bytes(mode),
                Bytes(bare),
                Bytes(host),
                $"{Times(ratio)} bare; Python Mode: 15,600 B",
                "≤ 1.3× bare (bar: ≤ 1.7× bare, ≤ 1/10 of Python Mode, per loop ≤ 1.4× the Host's)",
                YesNo(ratio <= 1.3, ratio <= 1.7 && mode <= 15_600 / 10.0 && mode / 2 <= 1.4 * host)));
        }

        return rows;
    }

    /// <summary>
    /// The live heap once the previous contender's leftovers (work still queued, timers being
    /// unlinked) are gone: full collections until two readings 50 ms apart agree within 0.1%.
    /// </summary>
    private static async Task<long> SettledMemoryAsync()
    {
        var last = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(50).ConfigureAwait(false);
            var now = GC.GetTotalMemory(forceFullCollection: true);
            if (Math.Abs(now - last) <= last / 1000)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    private static async Task<double[]> ModeIdleAsync(int n)
    {
        var services = new IdleService[n];
        Running.Expect(n);
        var before = await SettledMemoryAsync().ConfigureAwait(false);
        for (var i = 0; i < n; i++)
        {
            services[i] = new IdleService();
            await services[i].StartAsync().ConfigureAwait(false);
        }

        await Running.AllAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        await Task.Delay(s_settle).ConfigureAwait(false);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var s in services)
        {
            await s.StopAsync().ConfigureAwait(false);
        }

        return [(after - before) / (double)n];
    }

    private static async Task<double[]> BareIdleAsync(int n)
    {
        var objects = new BareIdle[n];
        Running.Expect(n);
        var before = await SettledMemoryAsync().ConfigureAwait(false);
        for (var i = 0; i < n; i++)
        {
            objects[i] = new BareIdle();
            await objects[i].StartAsync(default).ConfigureAwait(false);
        }

        await Running.AllAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        await Task.Delay(s_settle).ConfigureAwait(false);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var o in objects)
        {
            await o.StopAsync(default).ConfigureAwait(false);
        }

        return [(after - before) / (double)n];
    }

    private static async Task<double[]> HostIdleAsync(int n)
    {
        Running.Expect(n);
        var before = await SettledMemoryAsync().ConfigureAwait(false);
        using var host = Hosts.Build(n, static () => new SleepyBackgroundService());
        await host.StartAsync().ConfigureAwait(false);
        await Running.AllAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        await Task.Delay(s_settle).ConfigureAwait(false);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        await host.StopAsync().ConfigureAwait(false);
        return [(after - before) / (double)n];
    }

    /// <summary>
    /// Bytes allocated (all threads, <c>GC.GetTotalAllocatedBytes(true)</c>) per timer tick in steady
    /// state: 200 services with a 10 ms timer for a window, against as many <see cref="PeriodicTimer"/> loops.
    /// </summary>
    public static async Task<IEnumerable<Row>> TickAllocationAsync(RunOptions options)
    {
        const int n = 200;
        var window = TimeSpan.FromSeconds(Math.Min(2, options.TimerSeconds));
        var services = new TickService[n];
        for (var i = 0; i < n; i++)
        {
            services[i] = new TickService();
            await services[i].StartAsync().ConfigureAwait(false);
        }

        // Warm up: let every timer tick a few times (first ticks create the sleepers and jit the loop).
        await Task.Delay(TimeSpan.FromMilliseconds(300)).ConfigureAwait(false);
        var ticks0 = services.Sum(static s => s.TickCount);
        var bytes0 = GC.GetTotalAllocatedBytes(precise: true);
        await Task.Delay(window).ConfigureAwait(false);
        var bytes1 = GC.GetTotalAllocatedBytes(precise: true);
        var ticks1 = services.Sum(static s => s.TickCount);
        foreach (var s in services)
        {
            await s.StopAsync().ConfigureAwait(false);
        }

        var modePerTick = (bytes1 - bytes0) / (double)Math.Max(1, ticks1 - ticks0);

        using var cts = new CancellationTokenSource();
        var counters = new long[n];
        var loops = new Task[n];
        var timers = new PeriodicTimer[n];
        for (var i = 0; i < n; i++)
        {
            timers[i] = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            loops[i] = PeriodicLoopAsync(timers[i], counters, i);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(300)).ConfigureAwait(false);
        var pticks0 = counters.Sum();
        var pbytes0 = GC.GetTotalAllocatedBytes(precise: true);
        await Task.Delay(window).ConfigureAwait(false);
        var pbytes1 = GC.GetTotalAllocatedBytes(precise: true);
        var pticks1 = counters.Sum();
        foreach (var t in timers)
        {
            t.Dispose();
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        var barePerTick = (pbytes1 - pbytes0) / (double)Math.Max(1, pticks1 - pticks0);

        return
        [
            new Row(
                "allocation per timer tick, steady state (200 × 10 ms timers)",
                $"{Count((int)(ticks1 - ticks0))} ticks",
                Bytes(modePerTick),
                Bytes(barePerTick) + " (PeriodicTimer)",
                "—",
                "bytes per tick (whole process, includes the harness's own wake-ups)",
                "0 B per tick",
                YesNo(modePerTick < 1)),
        ];
    }

    private static async Task PeriodicLoopAsync(PeriodicTimer timer, long[] counters, int index)
    {
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            counters[index]++;
        }
    }
}

/// <summary>A service with one 10 ms <c>[Timer]</c> that counts its ticks.</summary>
internal sealed class TickService : Service
{
    private long _ticks;

    public long TickCount => Volatile.Read(ref _ticks);

    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        base.ConfigureWiring(wiring);
        wiring.AddTimer("TickService.Tick", 0.01, static (s, ct) =>
        {
            ((TickService)s).Tick();
            return default;
        });
    }

    // [Timer(0.01)]
    private void Tick() => _ticks++;
}
