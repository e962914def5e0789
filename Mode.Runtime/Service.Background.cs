using Microsoft.Extensions.Logging;
using Mode.Background;

namespace Mode;

public abstract partial class Service
{
    /// <summary>
    /// Runs <paramref name="task"/> as background work of this service (Mode's <c>add_future</c>):
    /// an exception crashes the service, and a stop waits for it (at most <see cref="ShutdownTimeout"/>).
    /// </summary>
    /// <returns><paramref name="task"/> itself.</returns>
    public Task AddFuture(Task task, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        Track(new BackgroundEntry(ObserveFutureAsync(task), name ?? "future"));
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

    /// <summary>Starts every background work item of the wiring (called by the start, after <see cref="OnStartAsync"/>).</summary>
    private void StartBackgroundWork(ServiceWiring wiring)
    {
        var work = wiring.Work;
        for (var i = 0; i < work.Count; i++)
        {
            Track(work[i].Start(this), work.Count);
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

            _background ??= new List<BackgroundEntry>(capacity);
            if (_background.Count >= PruneThreshold)
            {
                _background.RemoveAll(static e => e.Task.IsCompleted && e.Timer is null);
            }

            _background.Add(entry);
        }
    }

    /// <summary>Counts an exception that background work logged and went on from (<see cref="BackgroundErrors"/>).</summary>
    internal void CountBackgroundError() => Interlocked.Increment(ref _backgroundErrors);

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
}
