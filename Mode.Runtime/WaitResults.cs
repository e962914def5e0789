namespace Mode;

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
