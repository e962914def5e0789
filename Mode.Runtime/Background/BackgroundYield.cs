using System.Threading.Tasks.Sources;

namespace Mode.Background;

/// <summary>
/// The first await of every background work item: it always yields, so the work begins after the
/// starting code returns (Mode schedules tasks; it never runs them inside <c>start</c>). With
/// <c>ConfigureAwait(true)</c> (a <see cref="ServiceThread"/>'s work) the work resumes on the
/// caller's <see cref="SynchronizationContext"/> if there is one; otherwise, and always with
/// <c>ConfigureAwait(false)</c>, on the thread pool, so a caller's context (a UI or test
/// context) never leaks into background work.
/// </summary>
/// <remarks>
/// A <see cref="ValueTask"/> over one shared, stateless source: an awaiting state machine hands it
/// the runtime's cached "move next" callback, so a yield allocates nothing (a custom awaiter would
/// cost every state machine a delegate of its own, kept for its whole life).
/// </remarks>
internal sealed class BackgroundYield : IValueTaskSource
{
    private static readonly BackgroundYield s_instance = new();

    private BackgroundYield()
    {
    }

    /// <summary>Returns the yield; await it with <c>ConfigureAwait(service.ContinueOnCapturedContext)</c>.</summary>
    public static ValueTask Create() => new(s_instance, 0);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => ValueTaskSourceStatus.Pending;

    void IValueTaskSource.GetResult(short token)
    {
    }

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        if ((flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0 && ExecutionContext.Capture() is { } executionContext)
        {
            // Only an await outside an async method's builder asks for this; the builder's own
            // state machine box restores its context itself.
            var inner = continuation;
            continuation = s => ExecutionContext.Run(executionContext, static o => ((ContinuationState)o!).Invoke(), (ContinuationState)s!);
            state = new ContinuationState(inner, state);
        }

        if ((flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0 && SynchronizationContext.Current is { } context)
        {
            context.Post(static s => ((ContinuationState)s!).Invoke(), new ContinuationState(continuation, state));
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: false);
    }

    private sealed class ContinuationState(Action<object?> continuation, object? state)
    {
        public void Invoke() => continuation(state);
    }
}
