using System.Collections.Concurrent;

namespace Mode.Threading;

/// <summary>
/// One dedicated thread running a single-threaded <see cref="SynchronizationContext"/> loop: the
/// "event loop" of a <see cref="ServiceThread"/>. Everything posted to it runs on that thread, in
/// order. The loop ends after <see cref="Complete"/> once the queue is drained; anything posted after
/// that runs on the thread pool, so no continuation is ever dropped.
/// </summary>
#pragma warning disable CA1001 // The queue is disposed by the loop's own thread when it leaves the loop.
internal sealed class ServiceThreadLoop : SynchronizationContext
#pragma warning restore CA1001
{
    private readonly BlockingCollection<WorkItem> _queue = new(new ConcurrentQueue<WorkItem>());
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<Exception> _onUnhandled;
    private readonly Thread _thread;
    private int _completed;

    public ServiceThreadLoop(string name, Action<Exception> onUnhandled)
    {
        _onUnhandled = onUnhandled;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>The managed id of the loop's thread.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Whether the caller runs on this loop's thread.</summary>
    public bool IsCurrentThread => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>Whether <see cref="Complete"/> was called: the loop takes no new operation.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Completes when the thread has left the loop (the "join", without blocking anyone).</summary>
    public Task Exited => _exited.Task;

    public void Start() => _thread.Start();

    /// <summary>Lets the loop end once the work queued so far has run.</summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _queue.CompleteAdding();
        }
    }

    /// <inheritdoc/>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (!TryEnqueue(new WorkItem(d, state, null)))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static item => item.Callback(item.State), new WorkItem(d, state, null), preferLocal: false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Runs inline on the loop's thread; from any other thread it queues the callback and
    /// blocks until it ran, as <see cref="SynchronizationContext.Send"/> requires.</remarks>
    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (IsCurrentThread || IsCompleted)
        {
            d(state);
            return;
        }

        using var done = new ManualResetEventSlim();
        Exception? error = null;
        var item = new WorkItem(
            _ =>
            {
                try
                {
                    d(state);
                }
                catch (Exception ex)
                {
                    error = ex;
                }
                finally
                {
                    done.Set();
                }
            },
            null,
            null);
        if (!TryEnqueue(item))
        {
            d(state);
            return;
        }

        done.Wait();
        if (error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <inheritdoc/>
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>
    /// Queues <paramref name="action"/> to run on the loop, in the caller's execution context.
    /// Returns <see langword="false"/> when the loop no longer takes work.
    /// </summary>
    public bool TryRun(Action action) =>
        TryEnqueue(new WorkItem(static a => ((Action)a!)(), action, ExecutionContext.Capture()));

    private bool TryEnqueue(WorkItem item)
    {
        try
        {
            return _queue.TryAdd(item);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The loop ended (CompleteAdding or the thread's exit raced with the add).
            return false;
        }
    }

    private void Run()
    {
        SetSynchronizationContext(this);
        try
        {
            foreach (var item in _queue.GetConsumingEnumerable())
            {
                try
                {
                    if (item.Context is { } context)
                    {
                        ExecutionContext.Run(context, static s => ((WorkItem)s!).Callback(((WorkItem)s!).State), item);
                    }
                    else
                    {
                        item.Callback(item.State);
                    }
                }
                catch (Exception ex)
                {
                    // An exception escaping a posted callback (an async void method, for one) would
                    // kill the thread; it crashes the service instead.
                    _onUnhandled(ex);
                }
            }
        }
        finally
        {
            SetSynchronizationContext(null);
            _queue.Dispose();
            _exited.TrySetResult();
        }
    }

    private sealed record WorkItem(SendOrPostCallback Callback, object? State, ExecutionContext? Context);
}
