using Mode.Testing;

namespace Mode.Runtime.Tests.Testing;

public class VirtualClockTests
{
    /// <summary>
    /// Two threads advancing at once (the concurrency tests tick the clock from several lanes) once
    /// made one of them throw "Cannot go back in time": it computed its target, the other moved past
    /// it, and the check or the set then saw the clock ahead. Advances now take turns.
    /// </summary>
    [Fact]
    public async Task AdvanceStepwise_FromTwoThreadsAtOnce_EachGetsItsWholeAdvance()
    {
        const int PerThread = 500;
        var clock = new VirtualClock();
        var ticks = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref ticks), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var go = new Barrier(2);

        var advances = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(
            () =>
            {
                go.SignalAndWait();
                for (var i = 0; i < PerThread; i++)
                {
                    clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        await Task.WhenAll(advances).Within();

        Assert.Equal(VirtualClock.DefaultStart.AddSeconds(2 * PerThread), clock.GetUtcNow());
        Assert.Equal(2 * PerThread, Volatile.Read(ref ticks));
    }
}
