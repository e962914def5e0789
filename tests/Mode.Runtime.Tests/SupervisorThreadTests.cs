using System.Collections.Concurrent;
using Mode.Testing;

namespace Mode.Runtime.Tests;

/// <summary>
/// Every supervisor strategy inside a <see cref="ServiceThread"/>: the supervised services' hooks,
/// their restarts and the supervisor's own work stay on the service's one thread (a supervisor
/// resumes on the captured context, as the rest of the lifecycle does).
/// </summary>
public class SupervisorThreadTests
{
    public static TheoryData<string> Strategies => ["OneForOne", "OneForAll", "ForfeitOneForOne", "ForfeitOneForAll", "Crashing"];

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Crash_InsideAServiceThread_HooksAndRestartsRunOnTheServiceThread(string strategy)
    {
        var hooks = new ConcurrentQueue<(string Hook, int Thread)>();
        var a = new ThreadCheckedService("A", hooks);
        var b = new ThreadCheckedService("B", hooks);
        SupervisorStrategy supervisor = strategy switch
        {
            "OneForOne" => new OneForOneSupervisor([a, b]),
            "OneForAll" => new OneForAllSupervisor([a, b]),
            "ForfeitOneForOne" => new ForfeitOneForOneSupervisor([a, b]),
            "ForfeitOneForAll" => new ForfeitOneForAllSupervisor([a, b]),
            _ => new CrashingSupervisor([a, b]),
        };
        var host = new Host(supervisor);
        await host.StartAsync().Within();
        var thread = host.ManagedThreadId;
        Assert.NotNull(thread);

        // Crashed from the test's thread; whatever the strategy does next happens on the host's thread.
        a.Crash(new InvalidOperationException("a failed"));
        switch (strategy)
        {
            case "OneForOne":
                await a.StartedTimes(2).Within();
                Assert.Equal(1, b.Starts);
                break;
            case "OneForAll":
                await a.StartedTimes(2).Within();
                await b.StartedTimes(2).Within();
                break;
            case "ForfeitOneForOne":
                await a.ShutdownTimes(1).Within();
                break;
            case "ForfeitOneForAll":
                await a.ShutdownTimes(1).Within();
                await b.ShutdownTimes(1).Within();
                break;
            default:
                // Not intercepted: the crash reaches the whole tree, host included.
                await host.WaitUntilStoppedAsync().Within();
                Assert.True(host.IsCrashed);
                break;
        }

        await host.StopAsync().Within();

        var restarts = strategy switch
        {
            "OneForOne" => ["A.restart"],
            "OneForAll" => new[] { "A.restart", "B.restart" },
            _ => [],
        };
        Assert.Equal(restarts, hooks.Select(static h => h.Hook).Where(static h => h.EndsWith(".restart", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains(hooks, static h => h.Hook == "A.shutdown");
        Assert.All(hooks, h => Assert.True(h.Thread == thread, $"{h.Hook} ran on thread {h.Thread}, not the service's thread {thread}"));
    }

    private sealed class Host(IService child) : ServiceThread
    {
        protected override IEnumerable<IService> OnInitDependencies() => [child];
    }

    /// <summary>Records each hook with its thread; a test awaits "started N times" or "shut down N times".</summary>
    private sealed class ThreadCheckedService(string name, ConcurrentQueue<(string Hook, int Thread)> hooks) : Service
    {
        private readonly Counter _starts = new();
        private readonly Counter _shutdowns = new();

        public override string Label => name;

        public int Starts => _starts.Value;

        public Task StartedTimes(int count) => _starts.Reached(count);

        public Task ShutdownTimes(int count) => _shutdowns.Reached(count);

        protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            Record("start");
            await Task.Yield();
            Record("start_after_yield");
        }

        protected override ValueTask OnStartedAsync(CancellationToken cancellationToken)
        {
            Record("started");
            _starts.Increment();
            return default;
        }

        protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
        {
            Record("stop");
            await Task.Yield();
            Record("stop_after_yield");
        }

        protected override ValueTask OnShutdownAsync(CancellationToken cancellationToken)
        {
            Record("shutdown");
            _shutdowns.Increment();
            return default;
        }

        protected override ValueTask OnRestartAsync(CancellationToken cancellationToken)
        {
            Record("restart");
            return default;
        }

        private void Record(string hook) => hooks.Enqueue(($"{name}.{hook}", Environment.CurrentManagedThreadId));
    }

    private sealed class Counter
    {
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
        private int _value;

        public int Value
        {
            get
            {
                lock (_waiters)
                {
                    return _value;
                }
            }
        }

        public void Increment()
        {
            lock (_waiters)
            {
                _value++;
                foreach (var (count, done) in _waiters.Where(w => w.Count <= _value))
                {
                    done.TrySetResult();
                }
            }
        }

        public Task Reached(int count)
        {
            lock (_waiters)
            {
                if (_value >= count)
                {
                    return Task.CompletedTask;
                }

                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, done));
                return done.Task;
            }
        }
    }
}
