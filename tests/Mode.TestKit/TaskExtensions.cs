namespace Mode.TestKit;

/// <summary>Helpers that keep a broken test from hanging CI.</summary>
public static class TaskTestExtensions
{
    /// <summary>The longest any test waits for something that should happen promptly.</summary>
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Awaits <paramref name="task"/>, failing after <see cref="TestTimeout"/>.</summary>
    public static Task Within(this Task task) => task.WaitAsync(TestTimeout);

    /// <summary>Awaits <paramref name="task"/>, failing after <see cref="TestTimeout"/>.</summary>
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(TestTimeout);

    /// <summary>Awaits <paramref name="task"/>, failing after <see cref="TestTimeout"/>.</summary>
    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(TestTimeout);
}
