namespace Mode.Internal;

/// <summary>
/// A one-shot signal that allocates nothing until somebody waits on it before it is set
/// (Mode's lazily bound <c>Event</c>). Use it as a mutable field, never a copy.
/// </summary>
/// <remarks>
/// One reference holds the whole state, so the signal costs a service 8 bytes: <see langword="null"/>
/// (not set, nobody waiting), the waiters' <see cref="TaskCompletionSource"/> (somebody waits; it
/// completes when the signal is set), or the shared <see cref="s_set"/> marker (set).
/// </remarks>
internal struct LazySignal
{
    private static readonly object s_set = new();

    private object? _state;

    public bool IsSet => ReferenceEquals(Volatile.Read(ref _state), s_set);

    /// <summary>Sets the signal; returns <see langword="true"/> for the call that set it.</summary>
    public bool Set()
    {
        var previous = Interlocked.Exchange(ref _state, s_set);
        if (ReferenceEquals(previous, s_set))
        {
            return false;
        }

        (previous as TaskCompletionSource)?.TrySetResult();
        return true;
    }

    public Task WaitAsync()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (ReferenceEquals(state, s_set))
            {
                return Task.CompletedTask;
            }

            if (state is TaskCompletionSource waiters)
            {
                return waiters.Task;
            }

            // Waiters resume on the thread pool, never inline inside Set().
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref _state, created, null) is null)
            {
                return created.Task;
            }
        }
    }

    /// <summary>Clears a set signal for the next run. Waiters of an unset signal keep waiting on it.</summary>
    public void Reset() => Interlocked.CompareExchange(ref _state, null, s_set);
}
