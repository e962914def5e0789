namespace Mode;

public abstract partial class Service
{
    /// <summary>
    /// Waits for <paramref name="task"/>, for the service to stop or crash, or for
    /// <paramref name="timeout"/>, whichever comes first (Mode's <c>wait</c>; unlike Mode, a
    /// timeout is reported as <see cref="WaitOutcome.TimedOut"/>, not as a stop).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>An exception of <paramref name="task"/> propagates when it completes first.</remarks>
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
}

/// <summary>How a wait of <see cref="Service"/> ended.</summary>
public enum WaitOutcome
{
    /// <summary>What was awaited completed.</summary>
    Completed,

    /// <summary>The service began to stop, or crashed, first.</summary>
    Stopped,

    /// <summary>The timeout passed first.</summary>
    TimedOut,
}

/// <summary>The result of <see cref="Service.WaitAsync(Task, TimeSpan?, CancellationToken)"/>.</summary>
/// <param name="Outcome">How the wait ended.</param>
public readonly record struct WaitResult(WaitOutcome Outcome)
{
    /// <summary>The service stopped or crashed first (Mode's <c>stopped</c>).</summary>
    public bool Stopped => Outcome == WaitOutcome.Stopped;

    /// <summary>The timeout passed first.</summary>
    public bool TimedOut => Outcome == WaitOutcome.TimedOut;

    /// <summary>What was awaited completed.</summary>
    public bool Completed => Outcome == WaitOutcome.Completed;
}

/// <summary>The result of <see cref="Service.WaitAsync{T}(Task{T}, TimeSpan?, CancellationToken)"/>.</summary>
/// <param name="Outcome">How the wait ended.</param>
/// <param name="Result">The task's result when <see cref="Outcome"/> is <see cref="WaitOutcome.Completed"/>.</param>
public readonly record struct WaitResult<T>(WaitOutcome Outcome, T? Result)
{
    /// <summary>The service stopped or crashed first.</summary>
    public bool Stopped => Outcome == WaitOutcome.Stopped;

    /// <summary>The timeout passed first.</summary>
    public bool TimedOut => Outcome == WaitOutcome.TimedOut;

    /// <summary>The task completed.</summary>
    public bool Completed => Outcome == WaitOutcome.Completed;
}

/// <summary>The result of <see cref="Service.WaitFirstAsync"/>.</summary>
/// <param name="Outcome">How the wait ended.</param>
/// <param name="Done">The tasks that had completed when the wait ended.</param>
public readonly record struct WaitFirstResult(WaitOutcome Outcome, IReadOnlyList<Task> Done)
{
    /// <summary>The service stopped or crashed first.</summary>
    public bool Stopped => Outcome == WaitOutcome.Stopped;

    /// <summary>The timeout passed first.</summary>
    public bool TimedOut => Outcome == WaitOutcome.TimedOut;
}
