using System.Runtime.CompilerServices;

namespace Mode.Internal;

/// <summary>
/// Like <c>Task.Yield()</c>, but resumes on the captured <see cref="SynchronizationContext"/> only
/// when asked to (a <c>ServiceThread</c>'s loop); otherwise always on the thread pool, so a caller's
/// context (a UI or test context) never leaks into background work.
/// </summary>
internal readonly struct ContextYield(bool continueOnCapturedContext) : ICriticalNotifyCompletion
{
    /// <summary>
    /// Whether <c>await Task.Yield()</c> does exactly what this awaiter would: no context to resume
    /// on and the default scheduler, so both queue to the thread pool (not preferring the local
    /// queue). <c>Task.Yield</c> queues the async state machine itself, with no delegate and no
    /// work-item object, so callers use it when this returns <see langword="true"/>.
    /// </summary>
    public static bool IsPlainThreadPool(bool continueOnCapturedContext) =>
        !continueOnCapturedContext && SynchronizationContext.Current is null && TaskScheduler.Current == TaskScheduler.Default;

    public ContextYield GetAwaiter() => this;

    public bool IsCompleted => false;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => Schedule(continuation);

    public void UnsafeOnCompleted(Action continuation) => Schedule(continuation);

    private void Schedule(Action continuation)
    {
        if (continueOnCapturedContext && SynchronizationContext.Current is { } context)
        {
            context.Post(static state => ((Action)state!)(), continuation);
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static action => action(), continuation, preferLocal: false);
    }
}
