namespace Mode.Internal;

/// <summary>
/// The runtime's test hook (Mode.Testing's harness sets one on the root of a tree under test; it is
/// passed to children like the clock). It counts the tree's background work that is <em>running</em>
/// rather than parked on the clock or on an external event, and tells its subclass about hooks, state
/// changes and each run of a timer's or cron job's body. Without a probe (every program) the runtime
/// pays one null check per start, wake-up and state change, and allocates nothing.
/// </summary>
/// <remarks>
/// What counts as busy, from the moment it begins until it parks:
/// <list type="bullet">
/// <item>a background work item, from its start (<c>Start</c>, inside the service's start) until its
/// first park: a timer's or cron job's first armed sleep, a task's first await that does not complete
/// at once (the body's synchronous part has returned);</item>
/// <item>a timer's or cron job's tick, from the clock's wake-up until its next sleep is armed, however
/// the body awaits in between (the body may hop threads: the tick is still counted);</item>
/// <item>whatever a clock wake-up runs inline (a <see cref="Service.SleepAsync(TimeSpan, CancellationToken)"/>
/// in a task resumes on the thread that advanced the clock, so it has parked again when the advance returns).</item>
/// </list>
/// Work that moves itself to the thread pool outside these (a <c>Task.Run</c>, <c>Task.Yield</c> in a
/// task woken by an external event) is not seen; the harness documents it.
/// </remarks>
internal abstract class IdleProbe
{
    private int _busy;
    private TaskCompletionSource? _changed;

    /// <summary>How many work items are running now (0: the tree is idle).</summary>
    public int Busy => Volatile.Read(ref _busy);

    /// <summary>One more item is running.</summary>
    public void Enter() => Interlocked.Increment(ref _busy);

    /// <summary>One item has parked or ended; the last one wakes <see cref="WhenChanged"/>.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _busy) == 0)
        {
            Changed();
        }
    }

    /// <summary>Something a waiter may be waiting for has happened (idle, a state, a restart).</summary>
    public void Changed() => Interlocked.Exchange(ref _changed, null)?.TrySetResult();

    /// <summary>
    /// Completes at the next <see cref="Changed"/>. Take it <em>before</em> checking a condition, then
    /// await it if the condition does not hold yet: a change in between is never missed.
    /// </summary>
    public Task WhenChanged()
    {
        while (true)
        {
            if (Volatile.Read(ref _changed) is { } existing)
            {
                return existing.Task;
            }

            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref _changed, created, null) is null)
            {
                return created.Task;
            }
        }
    }

    /// <summary>A service of the tree entered a lifecycle hook (<c>nameof(OnStartAsync)</c>, …).</summary>
    public abstract void OnHook(Service service, string hook);

    /// <summary>
    /// A timer's or cron job's body is about to run once (<paramref name="work"/> is its name). May throw
    /// an injected fault, which the work then treats as the body's own exception.
    /// </summary>
    public abstract void BeforeRun(Service service, string work);

    /// <summary>
    /// A task's body has started and parked: a task that completes with an exception to inject into it
    /// (the task then ends as if its body had thrown it), or <see langword="null"/>.
    /// </summary>
    public abstract Task<Exception>? TaskFault(Service service, string work);
}
