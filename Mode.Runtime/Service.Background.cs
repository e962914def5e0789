using Microsoft.Extensions.Logging;
using Mode.Cron;
using Mode.Internal;

namespace Mode;

public abstract partial class Service
{
    private const int PruneThreshold = 32;

    private static readonly TimeSpan s_maxCronSleep = TimeSpan.FromDays(1);

    /// <summary>
    /// Runs <paramref name="task"/> as background work of this service (Mode's <c>add_future</c>):
    /// an exception crashes the service, and a stop waits for it (at most <see cref="ShutdownTimeout"/>).
    /// </summary>
    /// <returns><paramref name="task"/> itself.</returns>
    public Task AddFuture(Task task, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        Track(name ?? "future", ObserveFutureAsync(task));
        return task;
    }

    /// <summary>
    /// Starts <paramref name="factory"/> with <see cref="StoppingToken"/> as background work of this
    /// service; see <see cref="AddFuture(Task, string?)"/>.
    /// </summary>
    public Task AddFuture(Func<CancellationToken, Task> factory, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return AddFuture(factory(StoppingToken), name);
    }

    /// <summary>The schedules of this run's timers, for diagnostics (drift, overlaps, skipped ticks).</summary>
    public IReadOnlyList<TimerSchedule> Timers
    {
        get
        {
            lock (_sync)
            {
                return _background is null
                    ? []
                    : _background.Where(static e => e.Timer is not null).Select(static e => e.Timer!).ToArray();
            }
        }
    }

    /// <summary>
    /// How many exceptions background work of this service logged and went on from
    /// (<see cref="BackgroundErrorPolicy.LogAndContinue"/>), over the service's lifetime.
    /// </summary>
    public long BackgroundErrors => Interlocked.Read(ref _backgroundErrors);

    /// <summary>The names of the background tasks and futures still running, for diagnostics.</summary>
    public IReadOnlyList<string> RunningTasks
    {
        get
        {
            lock (_sync)
            {
                return _background is null
                    ? []
                    : _background.Where(static e => !e.Task.IsCompleted).Select(static e => e.Name).ToArray();
            }
        }
    }

    private void StartBackgroundWork(ServiceWiring wiring)
    {
        var work = wiring.Work;
        for (var i = 0; i < work.Count; i++)
        {
            var item = work[i];
            TimerSchedule? schedule = item.Kind == BackgroundWorkKind.Timer
                ? new TimerSchedule(TimeProvider, Log, Label, item.Name, item.Interval, item.MaxDriftCorrection)
                : null;
            // A timer runs in one state machine (RunTimerWorkAsync): one box per timer, not two.
            var task = schedule is null ? RunWorkAsync(item) : RunTimerWorkAsync(item, schedule);
            Track(item.Name, task, schedule, work.Count);
        }
    }

    private void Track(string name, Task task, TimerSchedule? timer = null, int capacity = 4)
    {
        lock (_sync)
        {
            if (_backgroundClosed)
            {
                return;
            }

            _background ??= new List<BackgroundEntry>(capacity);
            if (_background.Count >= PruneThreshold)
            {
                _background.RemoveAll(static e => e.Task.IsCompleted && e.Timer is null);
            }

            _background.Add(new BackgroundEntry(name, task, timer));
        }
    }

    private async Task RunWorkAsync(BackgroundWork work)
    {
        var ctx = ContinueOnCapturedContext;
        // Mode schedules tasks; they begin when the starting code yields, never inside StartAsync.
        if (ContextYield.IsPlainThreadPool(ctx))
        {
            await Task.Yield();
        }
        else
        {
            await new ContextYield(ctx);
        }

        if (ShouldStop)
        {
            return;
        }

        var token = StoppingToken;
        try
        {
            switch (work.Kind)
            {
                case BackgroundWorkKind.Task:
                    await work.Body(this, token).ConfigureAwait(ctx);
                    break;
                case BackgroundWorkKind.Crontab:
                    await work.CronRunner!(this, work, token).ConfigureAwait(ctx);
                    break;
            }
        }
        catch (Exception ex)
        {
            OnWorkEnded(work, ex);
        }
    }

    /// <summary>What an exception that ended background work does: nothing on a stop, a warning for another cancellation, else the error policy.</summary>
    private void OnWorkEnded(BackgroundWork work, Exception error)
    {
        if (error is OperationCanceledException)
        {
            // Cancellation on stop is the normal end of background work.
            if (!ShouldStop)
            {
                Log.LogWarning(error, "Background task {Task} was cancelled although the service is not stopping", work.Name);
            }

            return;
        }

        if (!TryContinueAfter(work, error))
        {
            Crash(error);
        }
    }

    /// <summary>Applies the work's error policy: <see langword="true"/> when the error was logged and the work may go on.</summary>
    private bool TryContinueAfter(BackgroundWork work, Exception error)
    {
        if (work.OnError != BackgroundErrorPolicy.LogAndContinue)
        {
            return false;
        }

        Interlocked.Increment(ref _backgroundErrors);
        var what = work.Kind switch
        {
            BackgroundWorkKind.Timer => "Timer {Name} failed; the schedule continues",
            BackgroundWorkKind.Crontab => "Cron job {Name} failed; the schedule continues",
            _ => "Background task {Name} failed; it ends and the service keeps running",
        };
#pragma warning disable CA2254 // one of three constant templates
        Log.LogError(error, what, work.Name);
#pragma warning restore CA2254
        return true;
    }

    /// <summary>A timer's whole run in one state machine (yield, loop, error handling): one box per timer.</summary>
    private async Task RunTimerWorkAsync(BackgroundWork work, TimerSchedule schedule)
    {
        var ctx = ContinueOnCapturedContext;
        // As RunWorkAsync: the timer begins when the starting code yields.
        if (ContextYield.IsPlainThreadPool(ctx))
        {
            await Task.Yield();
        }
        else
        {
            await new ContextYield(ctx);
        }

        if (ShouldStop)
        {
            return;
        }

        var token = StoppingToken;
        try
        {
            var sleeper = new Sleeper(this, pooled: false);
            try
            {
                schedule.Start();
                if (work.ExecFirst)
                {
                    try
                    {
                        await work.Body(this, token).ConfigureAwait(ctx);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && TryContinueAfter(work, ex))
                    {
                    }
                }

                while (!ShouldStop)
                {
                    if (!await sleeper.SleepAsync(schedule.DelayUntilNext(), default).ConfigureAwait(ctx) || ShouldStop)
                    {
                        return;
                    }

                    schedule.OnWake();
                    try
                    {
                        await work.Body(this, token).ConfigureAwait(ctx);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && TryContinueAfter(work, ex))
                    {
                    }

                    schedule.OnTickDone();
                }
            }
            finally
            {
                sleeper.Dispose();
            }
        }
        catch (Exception ex)
        {
            OnWorkEnded(work, ex);
        }
    }

    /// <summary>The cron loop, as <see cref="BackgroundWork.CronRunner"/> (see <see cref="ServiceWiring.AddCrontab"/>).</summary>
    internal static Task RunCrontab(Service service, BackgroundWork work, CancellationToken token) => service.RunCrontabAsync(work, token);

    private async Task RunCrontabAsync(BackgroundWork work, CancellationToken token)
    {
        var ctx = ContinueOnCapturedContext;
        var expression = CronExpression.Parse(work.CronExpression!);
        var zone = CronExpression.FindTimeZone(work.TimeZone);
        var sleeper = new Sleeper(this, pooled: false);
        try
        {
            var last = TimeProvider.GetUtcNow();
            while (!ShouldStop)
            {
                var now = TimeProvider.GetUtcNow();
                var next = expression.GetNextOccurrence(now > last ? now : last, zone);
                if (next is null)
                {
                    Log.LogWarning("Cron job {Job} ({Expression}) has no further occurrence; it stops", work.Name, work.CronExpression);
                    return;
                }

                // System timers reject due times beyond about 49.7 days, which a yearly job exceeds:
                // wait in chunks of at most a day, re-reading the clock after each.
                var delay = next.Value - now;
                while (delay > s_maxCronSleep)
                {
                    if (!await sleeper.SleepAsync(s_maxCronSleep, default).ConfigureAwait(ctx) || ShouldStop)
                    {
                        return;
                    }

                    delay = next.Value - TimeProvider.GetUtcNow();
                }

                if (!await sleeper.SleepAsync(delay, default).ConfigureAwait(ctx) || ShouldStop)
                {
                    return;
                }

                // A timer may fire a hair early against the wall clock: the occurrence is still `next`.
                last = next.Value;
                // Faust #578: by default one failing cron job does not take the worker down.
                try
                {
                    await work.Body(this, token).ConfigureAwait(ctx);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && TryContinueAfter(work, ex))
                {
                }
            }
        }
        finally
        {
            sleeper.Dispose();
        }
    }

    private async Task ObserveFutureAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ShouldStop)
        {
        }
        catch (OperationCanceledException ex)
        {
            Log.LogWarning(ex, "A future was cancelled although the service is not stopping");
        }
        catch (Exception ex)
        {
            Crash(ex);
        }
    }

    /// <summary>Closes the background list and waits for what still runs; synchronous when nothing does.</summary>
    private Task StopBackgroundWorkAsync()
    {
        List<BackgroundEntry>? pending = null;
        lock (_sync)
        {
            _backgroundClosed = true;
            if (_background is not null)
            {
                foreach (var entry in _background)
                {
                    if (!entry.Task.IsCompleted)
                    {
                        (pending ??= []).Add(entry);
                    }
                }
            }
        }

        return pending is null ? Task.CompletedTask : WaitBackgroundWorkAsync(pending);
    }

    private async Task WaitBackgroundWorkAsync(List<BackgroundEntry> pending)
    {
        if (await CompletesWithinShutdownTimeoutAsync(Task.WhenAll(pending.Select(static e => e.Task))).ConfigureAwait(ContinueOnCapturedContext))
        {
            return;
        }

        // Improvement over Mode (which waits forever): abandon work that ignores cancellation.
        foreach (var entry in pending)
        {
            if (!entry.Task.IsCompleted)
            {
                Log.LogWarning(
                    "Abandoning background task {Task}: it did not finish within {Timeout} after the stop began",
                    entry.Name,
                    ShutdownTimeout);
            }
        }
    }

    private void ResetBackgroundWork()
    {
        lock (_sync)
        {
            _background = null;
            _backgroundClosed = false;
        }

        Interlocked.Exchange(ref _sleeper, null)?.Dispose();
    }

    // A struct, so the list holds the entries inline (no object per task); a plain one, because a
    // record struct's generated equality and printing cost ~10 KB of NativeAOT code.
    private readonly struct BackgroundEntry(string name, Task task, TimerSchedule? timer)
    {
        public string Name { get; } = name;

        public Task Task { get; } = task;

        public TimerSchedule? Timer { get; } = timer;
    }
}
