using System.Runtime.ExceptionServices;
using Mode.Logging;
using Mode.Threading;

namespace Mode;

/// <summary>
/// A service that runs on its own dedicated thread, with a single-threaded
/// <see cref="SynchronizationContext"/> loop as its event loop (Mode's <c>ServiceThread</c>). Every
/// hook, background task, timer and future of this service — and of the children added to it —
/// runs on that one thread; code that awaits without <c>ConfigureAwait(false)</c> comes back to it.
/// </summary>
/// <remarks>
/// <para>The thread is created by <see cref="Service.StartAsync"/> (from the parent's thread) and ends
/// when the service has stopped; <see cref="Service.StopAsync"/> returns after the thread has left its
/// loop, without blocking the caller's thread. The tasks returned to the caller complete off the
/// service's thread, so the caller's code never continues on it.</para>
/// <para>Unlike Mode, <see cref="Service.StartAsync"/> always waits for the service on the thread to
/// have started and rethrows its start exception as is (Mode misses fast failures). After a failed
/// start the thread stays up until <see cref="Service.StopAsync"/> (the Worker calls it), so the stop
/// hooks run on it as well.</para>
/// <para>A crash on the thread (a background task's exception, or one escaping a callback posted to
/// the loop) crashes the service in its parent's tree as any crash does. The thread is a background
/// thread: a stuck one never keeps the process alive.</para>
/// </remarks>
public abstract class ServiceThread : Service
{
    private readonly object _loopLock = new();
    private ServiceThreadLoop? _loop;

    /// <summary>Creates the service; its thread is created when it starts.</summary>
    protected ServiceThread()
    {
        ContinueOnCapturedContext = true;
    }

    /// <summary>
    /// The managed thread id of the service's thread while it runs, otherwise <see langword="null"/>.
    /// </summary>
    public int? ManagedThreadId
    {
        get
        {
            var loop = Volatile.Read(ref _loop);
            return loop is null || loop.Exited.IsCompleted ? null : loop.ManagedThreadId;
        }
    }

    /// <summary>
    /// Completes when the current thread's loop has exited (at once when there is none). A stop run
    /// from the service's own thread cannot join that thread: it returns first, and the thread ends
    /// right after; tests wait for that here.
    /// </summary>
    internal Task ThreadExited => Volatile.Read(ref _loop)?.Exited ?? Task.CompletedTask;

    /// <summary>The name given to the thread (default: <see cref="Service.ShortLabel"/>).</summary>
    protected virtual string ThreadName => ShortLabel;

    /// <summary>
    /// Runs on the service's thread when the service stops, right after
    /// <see cref="Service.OnStopAsync"/> and before the children stop (Mode's <c>on_thread_stop</c>):
    /// close what the thread serves here. An exception is logged, the stop goes on, and it is
    /// rethrown at the end of the stop.
    /// </summary>
    /// <param name="cancellationToken">The token given to <see cref="Service.StopAsync"/>.</param>
    protected virtual ValueTask OnThreadStopAsync(CancellationToken cancellationToken) => default;

    internal override async ValueTask OnStopCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await OnThreadStopAsync(cancellationToken).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            ServiceLog.OnThreadStopFailed(Log, ex);
            throw;
        }
    }

    internal override Task RunLifecycleAsync(LifecycleOperation operation, Func<Service, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _loop);
        if (current is not null && current.IsCurrentThread && !current.IsCompleted)
        {
            // Already on the service's thread (the service stops itself, or a restart's start).
            var inline = Invoke(body, cancellationToken);
            if (operation == LifecycleOperation.Stop)
            {
                _ = inline.ContinueWith(static (_, l) => ((ServiceThreadLoop)l!).Complete(), current, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return inline;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            if (operation == LifecycleOperation.Start && StopWasClaimed)
            {
                // The start would give up at its first step: bring up no thread for it.
                return Task.CompletedTask;
            }

            var loop = AcquireLoop();
            if (loop.TryRun(() => _ = RunOnLoopAsync(loop, operation, body, done, cancellationToken)))
            {
                return done.Task;
            }

            // The loop ended between AcquireLoop and TryRun: a concurrent stop ended the thread (or a
            // start that found the stop done, below). A start gives up above then, as a stop was
            // claimed; any other operation runs on a fresh thread.
        }
    }

    private ServiceThreadLoop AcquireLoop()
    {
        lock (_loopLock)
        {
            var loop = _loop;
            if (loop is null || loop.IsCompleted)
            {
                loop = new ServiceThreadLoop(ThreadName, OnUnhandledLoopException);
                _loop = loop;
                loop.Start();

                // The tree's blocking detector (a Worker's, passed down like the clock) watches this loop too, until it ends.
                if (TreeBlockingDetector is { } detector)
                {
                    detector.Watch(loop, Label + " thread");
                    _ = loop.Exited.ContinueWith(static (_, state) => ((Action)state!)(), () => detector.Unwatch(loop), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }

            return loop;
        }
    }

    private void OnUnhandledLoopException(Exception exception) => Crash(exception);

    private Task Invoke(Func<Service, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        try
        {
            return body(this, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    private async Task RunOnLoopAsync(ServiceThreadLoop loop, LifecycleOperation operation, Func<Service, CancellationToken, Task> body, TaskCompletionSource done, CancellationToken cancellationToken)
    {
        // Runs on the loop and never faults: every outcome is handed to `done`.
        ExceptionDispatchInfo? error = null;
        var canceled = false;
        try
        {
            await Invoke(body, cancellationToken).ConfigureAwait(true);
        }
        catch (OperationCanceledException ex) when (ex.CancellationToken == cancellationToken && cancellationToken.IsCancellationRequested)
        {
            canceled = true;
        }
        catch (Exception ex)
        {
            error = ExceptionDispatchInfo.Capture(ex);
        }

        if (operation == LifecycleOperation.Stop || (operation == LifecycleOperation.Start && HasStopped))
        {
            // The thread ends when the service has stopped: drain what is queued, leave the loop, and
            // only then tell the caller (a join that blocks nobody). A start that gave up because the
            // stop had already run (on an earlier thread) leaves nothing for this thread to serve.
            loop.Complete();
            await loop.Exited.ConfigureAwait(false);
        }

        if (error is not null)
        {
            done.TrySetException(error.SourceException);
        }
        else if (canceled)
        {
            done.TrySetCanceled(cancellationToken);
        }
        else
        {
            done.TrySetResult();
        }
    }
}
