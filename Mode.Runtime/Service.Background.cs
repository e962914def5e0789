using Mode.Background;
using Mode.Diagnostics;
using Mode.Logging;

namespace Mode;

public abstract partial class Service
{
    /// <summary>
    /// Runs <paramref name="task"/> as background work of this service (Mode's <c>add_future</c>):
    /// an exception crashes the service, and a stop waits for it (at most <see cref="ShutdownTimeout"/>).
    /// </summary>
    /// <returns><paramref name="task"/> itself.</returns>
    /// <param name="task">The work to watch.</param>
    /// <param name="name">Its name in diagnostics (default <c>future</c>).</param>
    public Task AddFuture(Task task, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        Track(new BackgroundEntry(ObserveFutureAsync(task), name ?? "future"));
        return task;
    }

    /// <summary>
    /// Starts <paramref name="factory"/> with <see cref="StoppingToken"/> as background work of this
    /// service; see <see cref="AddFuture(Task, string?)"/>. The factory runs without an ambient
    /// <see cref="System.Diagnostics.Activity"/>, so the work's own spans are not children of the start
    /// or stop span in progress (<see cref="Diagnostics.ModeActivities"/>).
    /// </summary>
    /// <param name="factory">Creates the work from the stopping token.</param>
    /// <param name="name">Its name in diagnostics (default <c>future</c>).</param>
    public Task AddFuture(Func<CancellationToken, Task> factory, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Task task;
        using (ModeTracing.NoAmbientSpan())
        {
            // Outside the span of a start or stop in progress, as every kind of background work.
            task = factory(StoppingToken);
        }

        return AddFuture(task, name);
    }

    /// <summary>The schedules of this run's timers, for diagnostics (drift, overlaps, skipped ticks).</summary>
    public IReadOnlyList<TimerSchedule> Timers
    {
        get
        {
            lock (_sync)
            {
                var timers = new List<TimerSchedule>();
                foreach (var entry in BackgroundEntries)
                {
                    if (entry.Timer is { } timer)
                    {
                        timers.Add(timer);
                    }
                }

                return timers;
            }
        }
    }

    /// <summary>
    /// How many exceptions background work of this service logged and went on from
    /// (<see cref="BackgroundErrorPolicy.LogAndContinue"/>), over the service's lifetime.
    /// </summary>
    public long BackgroundErrors => _cold is { } cold ? Interlocked.Read(ref cold.BackgroundErrors) : 0;

    /// <summary>The names of the background tasks and futures still running, for diagnostics.</summary>
    public IReadOnlyList<string> RunningTasks
    {
        get
        {
            lock (_sync)
            {
                var running = new List<string>();
                foreach (var entry in BackgroundEntries)
                {
                    if (!entry.Task.IsCompleted)
                    {
                        running.Add(entry.Name);
                    }
                }

                return running;
            }
        }
    }

    /// <summary>Starts every background work item of the wiring (called by the start, after <see cref="OnStartAsync"/>).</summary>
    private void StartBackgroundWork(ServiceWiring wiring)
    {
        var work = wiring.Work;
        if (work.Count == 0)
        {
            return;
        }

        // Under the lock the stop closes the list with: a stop that began after the start's last
        // check either sees this work (and waits for it) or has closed the list, and then none of it
        // starts. Starting under the lock is cheap: every work item yields before running its body.
        // The work outlives the start: it must not run under the start's span.
        lock (_sync)
            using (ModeTracing.NoAmbientSpan())
            {
                if (_backgroundClosed)
                {
                    return;
                }

                for (var i = 0; i < work.Count; i++)
                {
                    Track(work[i].Start(this), work.Count);
                }
            }
    }

    private void Track(BackgroundEntry entry, int capacity = 4)
    {
        lock (_sync)
        {
            if (_backgroundClosed)
            {
                return;
            }

            if (_background is null)
            {
                // Sized for the wiring's work: a service without futures never grows its array.
                _background = new BackgroundEntry[capacity];
            }
            else if (_backgroundCount == _background.Length)
            {
                if (_backgroundCount >= PruneThreshold)
                {
                    PruneFinishedFutures();
                }

                if (_backgroundCount == _background.Length)
                {
                    Array.Resize(ref _background, _backgroundCount * 2);
                }
            }

            _background[_backgroundCount++] = entry;
        }
    }

    /// <summary>The entries of this run (the caller holds <c>_sync</c>).</summary>
    private ReadOnlySpan<BackgroundEntry> BackgroundEntries => _background.AsSpan(0, _backgroundCount);

    /// <summary>Drops the finished entries other than timers (whose schedules stay readable); the caller holds <c>_sync</c>.</summary>
    private void PruneFinishedFutures()
    {
        var kept = 0;
        for (var i = 0; i < _backgroundCount; i++)
        {
            var entry = _background![i];
            if (!entry.Task.IsCompleted || entry.Timer is not null)
            {
                _background[kept++] = entry;
            }
        }

        Array.Clear(_background!, kept, _backgroundCount - kept);
        _backgroundCount = kept;
    }

    /// <summary>Counts an exception that background work logged and went on from (<see cref="BackgroundErrors"/>).</summary>
    internal void CountBackgroundError() => Interlocked.Increment(ref Cold.BackgroundErrors);

    private async Task ObserveFutureAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(ContinueOnCapturedContext);
        }
        catch (OperationCanceledException) when (ShouldStop)
        {
        }
        catch (OperationCanceledException ex)
        {
            ServiceLog.FutureCancelled(Log, ex);
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
            foreach (var entry in BackgroundEntries)
            {
                if (!entry.Task.IsCompleted)
                {
                    (pending ??= []).Add(entry);
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
                ServiceLog.BackgroundWorkAbandoned(Log, entry.Name, ShutdownTimeout);
            }
        }
    }

    private void ResetBackgroundWork()
    {
        lock (_sync)
        {
            _background = null;
            _backgroundCount = 0;
            _backgroundClosed = false;
        }

        Interlocked.Exchange(ref _sleeper, null)?.Dispose();
    }
}
