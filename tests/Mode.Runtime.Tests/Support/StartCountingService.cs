namespace Mode.Runtime.Tests.Support;

/// <summary>A recording service that counts its starts, so a test can await "started N times" (a supervisor's restarts).</summary>
public sealed class StartCountingService(string name, Recorder? recorder = null) : RecordingService(name, recorder ?? new Recorder())
{
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private int _starts;

    /// <summary>How many starts reached OnStartedAsync.</summary>
    public int Starts => Volatile.Read(ref _starts);

    /// <summary>Completes once the service has started <paramref name="count"/> times.</summary>
    public Task StartedTimes(int count)
    {
        lock (_waiters)
        {
            if (_starts >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task;
        }
    }

    protected override async ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        await base.OnStartedAsync(cancellationToken);
        lock (_waiters)
        {
            _starts++;
            foreach (var (count, done) in _waiters.Where(w => w.Count <= _starts))
            {
                done.TrySetResult();
            }
        }
    }
}
