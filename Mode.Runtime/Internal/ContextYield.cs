using System.Runtime.CompilerServices;

namespace Mode.Internal;

/// <summary>
/// Like <c>Task.Yield()</c>, but resumes on the captured <see cref="SynchronizationContext"/> only
/// when asked to (a <c>ServiceThread</c>'s loop); otherwise always on the thread pool, so a caller's
/// context (a UI or test context) never leaks into background work.
/// </summary>
internal readonly struct ContextYield(bool continueOnCapturedContext) : ICriticalNotifyCompletion
{
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
