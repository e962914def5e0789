using System.Runtime.CompilerServices;
using Mode.Background;
using Mode.Internal;

namespace Mode;

public abstract partial class Service
{
    /// <summary>
    /// Waits for <paramref name="delay"/> on <see cref="TimeProvider"/> (Mode's <c>sleep</c>), waking
    /// early when the service begins to stop. Never throws because of a stop.
    /// </summary>
    /// <param name="delay">How long to sleep; zero or less returns at once.</param>
    /// <param name="cancellationToken">An extra token; its cancellation throws <see cref="OperationCanceledException"/>.</param>
    /// <returns><see langword="true"/> after the full delay; <see langword="false"/> when woken because the service is stopping.</returns>
    public ValueTask<bool> SleepAsync(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        var sleeper = Interlocked.Exchange(ref _sleeper, null) ?? new Sleeper(this, pooled: true);
        return sleeper.SleepAsync(delay, cancellationToken);
    }

    /// <summary>Waits for <paramref name="seconds"/> seconds; see <see cref="SleepAsync(TimeSpan, CancellationToken)"/>.</summary>
    /// <param name="seconds">How long to sleep, in seconds.</param>
    /// <param name="cancellationToken">An extra token; its cancellation throws <see cref="OperationCanceledException"/>.</param>
    /// <returns><see langword="true"/> after the full delay; <see langword="false"/> when woken because the service is stopping.</returns>
    public ValueTask<bool> SleepAsync(double seconds, CancellationToken cancellationToken = default) =>
        SleepAsync(TimeSpan.FromSeconds(seconds), cancellationToken);

    /// <summary>Whether the stop has begun (what wakes sleepers; a crash alone does not).</summary>
    internal bool IsStopping => HasFlag(Stopping);

    internal void AddSleeper(Sleeper sleeper)
    {
        lock (_sync)
        {
            sleeper.NextSleeper = _sleepers;
            Volatile.Write(ref _sleepers, sleeper);
        }
    }

    internal void RemoveSleeper(Sleeper sleeper)
    {
        lock (_sync)
        {
            if (ReferenceEquals(_sleepers, sleeper))
            {
                Volatile.Write(ref _sleepers, sleeper.NextSleeper);
                return;
            }

            for (var node = _sleepers; node is not null; node = node.NextSleeper)
            {
                if (ReferenceEquals(node.NextSleeper, sleeper))
                {
                    node.NextSleeper = sleeper.NextSleeper;
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Wakes every pending sleep with <see langword="false"/>; called once the stopping flag is set.
    /// Lock-free: a sleeper added meanwhile sees the flag when it arms, and a removed one keeps its
    /// link, so the walk goes on past it.
    /// </summary>
    private void WakeSleepers()
    {
        for (var node = Volatile.Read(ref _sleepers); node is not null; node = node.NextSleeper)
        {
            node.WakeForStop();
        }
    }

    internal void ReturnSleeper(Sleeper sleeper)
    {
        if (Interlocked.CompareExchange(ref _sleeper, sleeper, null) is not null)
        {
            sleeper.Dispose();
        }
    }

    /// <summary>
    /// Yields once per <paramref name="interval"/> until the service stops (Mode's <c>itertimer</c>),
    /// scheduled against absolute deadlines so that no drift accumulates; a consumer that overruns
    /// skips the missed ticks. Each item is the time since the previous tick.
    /// </summary>
    /// <param name="interval">The interval; must be positive.</param>
    /// <param name="name">The name used in drift and overlap log lines.</param>
    /// <param name="cancellationToken">Ends the sequence (with <see cref="OperationCanceledException"/>).</param>
    /// <returns>The time since the previous tick, once per tick.</returns>
    public async IAsyncEnumerable<TimeSpan> IterTimerAsync(
        TimeSpan interval,
        string? name = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A timer interval must be greater than zero.");
        }

        if (ShouldStop)
        {
            yield break;
        }

        // Scheduled as a [Timer] with the default drift correction would be; the body is the caller's loop.
        var timer = new TimerWork(name ?? Label + ".itertimer", interval, s_noTimerBody, execFirst: false, TimeSpan.FromSeconds(TimerDefaults.MaxDriftCorrectionSeconds), BackgroundErrorPolicy.Crash);
        var schedule = new TimerSchedule(this, timer);
        var sleeper = new Sleeper(this, pooled: false);
        try
        {
            schedule.Start();
            while (!ShouldStop)
            {
                if (!await sleeper.SleepAsync(schedule.DelayUntilNext(), cancellationToken).ConfigureAwait(ContinueOnCapturedContext) || ShouldStop)
                {
                    yield break;
                }

                var slept = schedule.OnWake();
                yield return slept;
                schedule.OnTickDone();
            }
        }
        finally
        {
            sleeper.Dispose();
        }
    }

    /// <summary>
    /// Sets <paramref name="flag"/> on <see cref="Diag"/> while <paramref name="task"/> runs
    /// (Mode's <c>transition_with</c>).
    /// </summary>
    /// <param name="flag">The <see cref="Diag"/> flag.</param>
    /// <param name="task">The work to await.</param>
    /// <returns>A task that completes (or fails) as <paramref name="task"/> does.</returns>
    public async Task TransitionWithAsync(string flag, Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        Diag.SetFlag(flag);
        try
        {
            await task.ConfigureAwait(ContinueOnCapturedContext);
        }
        finally
        {
            Diag.UnsetFlag(flag);
        }
    }

    /// <summary>Like <see cref="TransitionWithAsync(string, Task)"/>, returning the task's result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    public async Task<T> TransitionWithAsync<T>(string flag, Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        Diag.SetFlag(flag);
        try
        {
            return await task.ConfigureAwait(ContinueOnCapturedContext);
        }
        finally
        {
            Diag.UnsetFlag(flag);
        }
    }

    /// <summary>
    /// Waits for <paramref name="task"/>, for the service to stop or crash, or for
    /// <paramref name="timeout"/>, whichever comes first (Mode's <c>wait</c>; unlike Mode, a
    /// timeout is reported as <see cref="WaitOutcome.TimedOut"/>, not as a stop).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>An exception of <paramref name="task"/> propagates when it completes first.</remarks>
    /// <param name="timeout">The longest wait; <see langword="null"/> waits without limit.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="task">What to wait for.</param>
    public async Task<WaitResult> WaitAsync(Task task, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var outcome = await WaitCoreAsync([task], any: true, timeout, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        if (outcome == WaitOutcome.Completed)
        {
            await task.ConfigureAwait(ContinueOnCapturedContext);
        }

        return new WaitResult(outcome);
    }

    /// <summary>Like <see cref="WaitAsync(Task, TimeSpan?, CancellationToken)"/>, returning the task's result when it completed.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">What to wait for.</param>
    /// <returns>How the wait ended, with the result when the task completed.</returns>
    /// <param name="timeout">The longest wait; <see langword="null"/> waits without limit.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<WaitResult<T>> WaitAsync<T>(Task<T> task, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var outcome = await WaitCoreAsync([task], any: true, timeout, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        var result = outcome == WaitOutcome.Completed ? await task.ConfigureAwait(ContinueOnCapturedContext) : default;
        return new WaitResult<T>(outcome, result);
    }

    /// <summary>
    /// Waits until the first of <paramref name="tasks"/> completes, the service stops or crashes, or
    /// the timeout passes (Mode's <c>wait_first</c>). Exceptions of the tasks are not thrown here:
    /// inspect <see cref="WaitFirstResult.Done"/>.
    /// </summary>
    /// <param name="tasks">What to wait for.</param>
    /// <param name="timeout">The longest wait; <see langword="null"/> waits without limit.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<WaitFirstResult> WaitFirstAsync(IEnumerable<Task> tasks, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var list = tasks.ToArray();
        var outcome = await WaitCoreAsync(list, any: true, timeout, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        return new WaitFirstResult(outcome, list.Where(static t => t.IsCompleted).ToArray());
    }

    /// <summary>
    /// Waits until all of <paramref name="tasks"/> complete, the service stops or crashes, or the
    /// timeout passes (Mode's <c>wait_many</c>). The first exception of a task propagates when all completed.
    /// </summary>
    /// <returns>How the wait ended.</returns>
    public async Task<WaitResult> WaitManyAsync(IEnumerable<Task> tasks, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var list = tasks.ToArray();
        var outcome = await WaitCoreAsync(list, any: false, timeout, cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        if (outcome == WaitOutcome.Completed)
        {
            await Task.WhenAll(list).ConfigureAwait(ContinueOnCapturedContext);
        }

        return new WaitResult(outcome);
    }

    private async Task<WaitOutcome> WaitCoreAsync(Task[] tasks, bool any, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = tasks.Length == 1 ? tasks[0] : any ? Task.WhenAny(tasks) : Task.WhenAll(tasks);
        if (target.IsCompleted || tasks.Length == 0)
        {
            return WaitOutcome.Completed;
        }

        if (ShouldStop)
        {
            return WaitOutcome.Stopped;
        }

        var stopped = _stoppedOrCrashed.WaitAsync();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout ?? Timeout.InfiniteTimeSpan, TimeProvider, cts.Token);
        var first = await Task.WhenAny(target, stopped, delay).ConfigureAwait(ContinueOnCapturedContext);
        cts.Cancel();
        if (first == target)
        {
            return WaitOutcome.Completed;
        }

        if (first == stopped)
        {
            return WaitOutcome.Stopped;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return WaitOutcome.TimedOut;
    }

    /// <summary>Waits for <paramref name="task"/> at most <see cref="ShutdownTimeout"/> on the service's clock.</summary>
    /// <returns><see langword="true"/> if it completed in time.</returns>
    private async Task<bool> CompletesWithinShutdownTimeoutAsync(Task task)
    {
        using var timeout = new CancellationTokenSource();
        var delay = Task.Delay(ShutdownTimeout, TimeProvider, timeout.Token);
        var first = await Task.WhenAny(task, delay).ConfigureAwait(ContinueOnCapturedContext);
        timeout.Cancel();
        return first == task;
    }

    /// <summary>
    /// Starts <paramref name="services"/> in order (a start failure crashes this service and the
    /// others still start), waits until every one of them has stopped or crashed (or this service
    /// stops), then stops them in reverse order (Mode's <c>join_services</c>).
    /// </summary>
    /// <param name="services">The services to run, in start order.</param>
    /// <param name="cancellationToken">Passed to their starts, waits and stops.</param>
    public async Task JoinServicesAsync(IEnumerable<IService> services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var list = services.ToArray();
        var ctx = ContinueOnCapturedContext;
        foreach (var service in list)
        {
            try
            {
                await service.MaybeStartAsync(cancellationToken).ConfigureAwait(ctx);
            }
            catch (Exception ex)
            {
                Crash(ex);
            }
        }

        await WaitManyAsync(list.Select(s => s.WaitUntilStoppedAsync(cancellationToken)), null, cancellationToken).ConfigureAwait(ctx);
        for (var i = list.Length - 1; i >= 0; i--)
        {
            await list[i].StopAsync(cancellationToken).ConfigureAwait(ctx);
        }
    }
}
