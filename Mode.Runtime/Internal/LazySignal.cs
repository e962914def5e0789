namespace Mode.Internal;

/// <summary>
/// A one-shot signal that allocates nothing until somebody waits on it before it is set
/// (Mode's lazily bound <c>Event</c>). Use it as a mutable field, never a copy.
/// </summary>
internal struct LazySignal
{
    private int _set;
    private TaskCompletionSource? _waiters;

    public bool IsSet => Volatile.Read(ref _set) != 0;

    /// <summary>Sets the signal; returns <see langword="true"/> for the call that set it.</summary>
    public bool Set()
    {
        if (Interlocked.Exchange(ref _set, 1) != 0)
        {
            return false;
        }

        Volatile.Read(ref _waiters)?.TrySetResult();
        return true;
    }

    public Task WaitAsync()
    {
        if (IsSet)
        {
            return Task.CompletedTask;
        }

        var waiters = Volatile.Read(ref _waiters);
        if (waiters is null)
        {
            // Waiters resume on the thread pool, never inline inside Set().
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters = Interlocked.CompareExchange(ref _waiters, created, null) ?? created;
        }

        if (IsSet)
        {
            waiters.TrySetResult();
        }

        return waiters.Task;
    }

    /// <summary>Clears a set signal for the next run. Waiters of an unset signal keep waiting on it.</summary>
    public void Reset()
    {
        if (IsSet)
        {
            Volatile.Write(ref _waiters, null);
            Volatile.Write(ref _set, 0);
        }
    }
}
