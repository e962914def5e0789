namespace Mode.Testing;

/// <summary>Bounded waits that keep a broken test from hanging: a guard against failure, never a way to synchronise.</summary>
public static class BoundedWait
{
    /// <summary>The default bound (10 s of real time): generous, because a loaded CI machine is slow.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Awaits <paramref name="task"/>, throwing <see cref="TimeoutException"/> after <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>).</summary>
    /// <param name="task">The task.</param>
    /// <param name="timeout">The bound.</param>
    /// <returns>The task, bounded.</returns>
    public static Task Within(this Task task, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>Awaits <paramref name="task"/>, throwing <see cref="TimeoutException"/> after <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task.</param>
    /// <param name="timeout">The bound.</param>
    /// <returns>The task's result, bounded.</returns>
    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>Awaits <paramref name="task"/>, throwing <see cref="TimeoutException"/> after <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task.</param>
    /// <param name="timeout">The bound.</param>
    /// <returns>The task's result, bounded.</returns>
    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? timeout = null) => task.AsTask().WaitAsync(timeout ?? DefaultTimeout);
}
