using System.Diagnostics;

namespace Mode.Soak;

/// <summary>The scenarios; each returns whether its outcome held and what it measured.</summary>
internal static class Scenarios
{
    /// <summary>What leaks would grow: managed heap, threads, timers.</summary>
    private readonly record struct Footprint(long Heap, int Threads, long Timers)
    {
        public static Footprint Now()
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            using var process = Process.GetCurrentProcess();
            return new Footprint(GC.GetTotalMemory(forceFullCollection: true), process.Threads.Count, Timer.ActiveCount);
        }

        /// <summary>
        /// Growth that a leak per cycle would exceed by far, while the runtime's own warm-up (thread
        /// pool injection on a loaded machine, caches) stays under: 4 MB of heap, 8 threads, 4 timers.
        /// </summary>
        public string? GrowthOver(Footprint before) =>
            Heap - before.Heap > 4 << 20 ? $"heap grew {(Heap - before.Heap) / 1024} KB"
            : Threads - before.Threads > 8 ? $"threads grew by {Threads - before.Threads}"
            : Timers - before.Timers > 4 ? $"timers grew by {Timers - before.Timers}"
            : null;

        public override string ToString() => $"heap {Heap / 1024} KB, {Threads} threads, {Timers} timers";
    }

    /// <summary>Start/stop (or restart) a tree of tasks and timers again and again: nothing grows, nothing outlives a stop.</summary>
    public static async Task<(bool, string)> ChurnAsync(int cycles, bool restart)
    {
        var counters = new Counters();
        var warmUp = cycles / 10;
        Footprint before = default;
        var root = Trees.Small(counters);
        for (var i = 0; i < cycles + warmUp; i++)
        {
            if (i == warmUp)
            {
                before = Footprint.Now();
            }

            if (restart)
            {
                if (i == 0)
                {
                    await root.StartAsync();
                }
                else
                {
                    await root.RestartAsync();
                }
            }
            else
            {
                root = Trees.Small(counters);
                await root.StartAsync();
                await root.StopAsync();
                if (counters.LiveTasks != 0)
                {
                    return (false, $"{counters.LiveTasks} task(s) alive after stop #{i}");
                }
            }
        }

        await root.StopAsync();
        var after = Footprint.Now();
        var growth = after.GrowthOver(before);
        var ok = growth is null && counters.LiveTasks == 0 && counters.Starts == counters.Stops;
        return (ok, $"{cycles} cycles; {before} -> {after}; {growth ?? "no growth"}; starts {counters.Starts}, stops {counters.Stops}, tasks alive {counters.LiveTasks}");
    }

    /// <summary>A supervised service that crashes as soon as it starts, restarted for a while; then the tree stops within 1 s.</summary>
    public static async Task<(bool, string)> CrashStormAsync(TimeSpan duration)
    {
        var counters = new Counters();
        var crasher = new Worky("crasher", counters, crashOnStart: true);
        var supervisor = new OneForOneSupervisor([crasher], maxRestarts: int.MaxValue);
        var root = new Worky("root", counters) { LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance };
        root.AddDependency(supervisor);
        await root.StartAsync();
        await Task.Delay(duration / 10);
        var before = Footprint.Now();
        var restartsBefore = supervisor.TotalRestarts;
        await Task.Delay(duration);
        var after = Footprint.Now();
        var restarts = supervisor.TotalRestarts - restartsBefore;
        var watch = Stopwatch.StartNew();
        await root.StopAsync();
        var stop = watch.Elapsed;
        var growth = after.GrowthOver(before);
        var ok = growth is null && stop < TimeSpan.FromSeconds(1) && restarts > 0 && crasher.State is not (ServiceState.Running or ServiceState.Starting);
        return (ok, $"{restarts} restarts; {before} -> {after}; {growth ?? "no growth"}; stop took {stop.TotalMilliseconds:0} ms (limit 1000)");
    }

    /// <summary>Work that ignores cancellation: the stop abandons it at ShutdownTimeout, not later.</summary>
    public static async Task<(bool, string)> StuckWorkAsync()
    {
        var counters = new Counters();
        var timeout = TimeSpan.FromMilliseconds(300);
        var stuck = new Worky("stuck", counters, ignoreCancellation: true) { ShutdownTimeout = timeout };
        await stuck.StartAsync();
        var entered = Stopwatch.StartNew();
        while (counters.LiveTasks == 0 && entered.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Yield();
        }

        var watch = Stopwatch.StartNew();
        await stuck.StopAsync();
        var stop = watch.Elapsed;
        var ok = stop >= timeout - TimeSpan.FromMilliseconds(20) && stop < timeout + TimeSpan.FromSeconds(1) && stuck.State == ServiceState.Shutdown;
        return (ok, $"stop took {stop.TotalMilliseconds:0} ms with ShutdownTimeout {timeout.TotalMilliseconds:0} ms (limit +1000 ms)");
    }

    /// <summary>Service.FromAwaitable of a task that never completes: the stop does not wait for it.</summary>
    public static async Task<(bool, string)> NeverCompletingAwaitableAsync()
    {
        var never = new TaskCompletionSource();
        var service = (Service)Service.FromAwaitable(never.Task, "never");
        service.ShutdownTimeout = TimeSpan.FromSeconds(5);
        await service.StartAsync();
        var watch = Stopwatch.StartNew();
        await service.StopAsync();
        var stop = watch.Elapsed;
        return (stop < TimeSpan.FromSeconds(1), $"stop took {stop.TotalMilliseconds:0.0} ms with ShutdownTimeout 5000 ms (limit 1000 ms)");
    }

    /// <summary>
    /// The race of issue 13 item 1: a supervised service crashes and the root is stopped while the
    /// restart is in flight. After the stop nothing may run: zero orphans.
    /// </summary>
    public static async Task<(bool, string)> StopRestartRaceAsync(int trials)
    {
        var orphans = 0;
        var hangs = 0;
        var random = new Random(13);
        for (var trial = 0; trial < trials; trial++)
        {
            var counters = new Counters();
            var victim = new Worky("victim", counters, crashOnStart: true);
            var supervisor = new OneForOneSupervisor([victim], maxRestarts: int.MaxValue);
            var root = new Worky("root", counters) { LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance };
            root.AddDependency(supervisor);
            await root.StartAsync();

            // The victim crashes at every start, so a restart is nearly always in flight; up to
            // 2 ms of spinning land the stop at a different point of it each time.
            var spin = Stopwatch.StartNew();
            var wait = TimeSpan.FromTicks(random.Next(0, 20_000));
            while (spin.Elapsed < wait)
            {
                Thread.SpinWait(10);
            }

            if (!await CompletesAsync(root.StopAsync()))
            {
                hangs++;
                continue;
            }

            // An orphan is started by a restart that completes after the stop returned: give it time to.
            await Task.Delay(20);
            if (victim.State is ServiceState.Running or ServiceState.Starting || counters.LiveTasks != 0)
            {
                orphans++;
                victim.Supervisor = null;
                _ = victim.StopAsync();
            }
        }

        return (orphans == 0 && hangs == 0, $"{orphans} orphan(s), {hangs} stop(s) that did not return within 10 s, in {trials} trials");
    }

    private static async Task<bool> CompletesAsync(Task task)
    {
        try
        {
            await task.WaitAsync(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>StopAsync called from 100 threads at once: every call returns after the one stop; the hooks run once.</summary>
    public static async Task<(bool, string)> ConcurrentStopAsync(int trials)
    {
        for (var trial = 0; trial < trials; trial++)
        {
            var counters = new Counters();
            var root = Trees.Small(counters);
            await root.StartAsync();
            using var gate = new Barrier(100);
            var threads = new Task[100];
            for (var i = 0; i < threads.Length; i++)
            {
                threads[i] = Task.Factory.StartNew(() =>
                {
                    gate.SignalAndWait();
                    return root.StopAsync();
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            }

            await Task.WhenAll(threads);
            if (counters.Stops != 4 || counters.Shutdowns != 4 || counters.LiveTasks != 0 || root.State != ServiceState.Shutdown)
            {
                return (false, $"trial {trial}: {counters.Stops} OnStopAsync and {counters.Shutdowns} OnShutdownAsync for 4 services, {counters.LiveTasks} tasks alive, root {root.State}");
            }
        }

        return (true, $"{trials} trials: 100 callers each, OnStopAsync and OnShutdownAsync once per service");
    }
}
