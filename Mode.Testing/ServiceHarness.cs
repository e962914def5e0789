using System.Text;
using Mode.Background;

namespace Mode.Testing;

/// <summary>
/// Runs a service tree under test: virtual time (one <see cref="VirtualClock"/> for the whole tree),
/// captured logs, waits until the tree is idle, timer and cron runs, state waits, fault injection and
/// the recorded order of lifecycle hooks. Disposing it stops the tree, within <see cref="Timeout"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Idle.</b> The tree is idle when every background task, timer and cron job is parked on the
/// clock or on an external event. The runtime counts what is running (a work item from its start to
/// its first park; a timer's or cron job's tick from its wake-up to its next armed sleep, however the
/// body awaits in between; whatever a clock wake-up runs inline), and every method that moves time
/// waits for that count to reach zero before it returns. Work that moves itself to the thread pool
/// outside these (a <c>Task.Run</c>, or a <c>Task.Yield</c> in a task woken by something other than
/// the clock) is not seen: wait for its effect with <see cref="WaitUntilAsync"/> or a log line.
/// A supervisor's restart, which follows a crash asynchronously, is awaited with
/// <see cref="WaitForRestartsAsync(IService, int)"/>.
/// </para>
/// <para>
/// <b>Bounded.</b> Every wait is bounded by <see cref="Timeout"/> of <em>real</em> time, a guard that
/// turns a hang into a <see cref="TimeoutException"/> whose message shows the tree (each service's
/// state and current hook). No method needs a real sleep to be used correctly.
/// </para>
/// </remarks>
public sealed class ServiceHarness : IAsyncDisposable
{
    private readonly HarnessProbe _probe = new();
    private readonly Service _root;
    private int _disposed;

    private ServiceHarness(IService service, VirtualClock clock, TimeSpan timeout)
    {
        Service = service;
        Clock = clock;
        Timeout = timeout;
        _root = Mode.Service.AsService(service)
            ?? throw new ArgumentException("The harness runs a Mode.Service (or a ServiceProxy of one).", nameof(service));
        if (_root.IsStarted)
        {
            throw new ArgumentException($"{service.Label} has already started: give the harness a service that has not.", nameof(service));
        }

        _root.TimeProvider = clock;
        _root.LoggerFactory = Logs;
        _root.TestProbe = _probe;
    }

    /// <summary>The root of the tree under test.</summary>
    public IService Service { get; }

    /// <summary>The tree's clock; it moves only when the test moves it.</summary>
    public VirtualClock Clock { get; }

    /// <summary>Every log line of the tree (level, category, service label, message, exception).</summary>
    public CapturingLoggerFactory Logs { get; } = new();

    /// <summary>The bound of every wait, in real time (default <see cref="BoundedWait.DefaultTimeout"/>).</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Every lifecycle hook entered so far across the tree, as <c>Label.Hook</c> (<c>Cache.OnStartAsync</c>), in order.</summary>
    public IReadOnlyList<string> Hooks => _probe.Hooks;

    /// <summary>
    /// Starts <paramref name="service"/> under a new harness and waits until the tree is idle (every
    /// timer armed, every task parked).
    /// </summary>
    /// <param name="service">The root of the tree; it must not have started.</param>
    /// <param name="start">The clock's start (default <see cref="VirtualClock.DefaultStart"/>).</param>
    /// <param name="timeout">The bound of every wait (default <see cref="BoundedWait.DefaultTimeout"/>).</param>
    /// <returns>The harness; dispose it (<c>await using</c>) to stop the tree.</returns>
    public static async Task<ServiceHarness> StartAsync(IService service, DateTimeOffset? start = null, TimeSpan? timeout = null)
    {
        var harness = Create(service, start, timeout);
        try
        {
            await harness.Bound(service.StartAsync(), $"{service.Label} did not start").ConfigureAwait(false);
            await harness.WaitForIdleAsync().ConfigureAwait(false);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a harness for <paramref name="service"/> without starting it (to test the start itself).</summary>
    /// <param name="service">The root of the tree; it must not have started.</param>
    /// <param name="start">The clock's start (default <see cref="VirtualClock.DefaultStart"/>).</param>
    /// <param name="timeout">The bound of every wait (default <see cref="BoundedWait.DefaultTimeout"/>).</param>
    /// <returns>The harness.</returns>
    public static ServiceHarness Create(IService service, DateTimeOffset? start = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        var clock = new VirtualClock(start ?? VirtualClock.DefaultStart);
        return new ServiceHarness(service, clock, timeout ?? BoundedWait.DefaultTimeout);
    }

    /// <summary>Waits until every background task, timer and cron job of the tree is parked (see the remarks on idleness).</summary>
    /// <returns>A task that completes when the tree is idle.</returns>
    /// <exception cref="TimeoutException">Work was still running after <see cref="Timeout"/>.</exception>
    public Task WaitForIdleAsync() =>
        WaitUntilCoreAsync(() => _probe.Busy == 0, () => $"The tree did not become idle ({_probe.Busy} work item(s) still running)");

    /// <summary>
    /// Moves virtual time forward by <paramref name="delta"/>, stopping at each due timer on the way:
    /// each fires at its own time and the tree is idle again before time moves on. When it returns,
    /// every tick that was due has run, and nothing else.
    /// </summary>
    /// <param name="delta">How far to move; not negative.</param>
    /// <returns>A task that completes when the tree is idle at the target time.</returns>
    public async Task AdvanceAsync(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        await WaitForIdleAsync().ConfigureAwait(false);
        var target = Clock.GetUtcNow() + delta;
        while (Clock.NextDueTime is { } next && next <= target)
        {
            await MoveToAsync(next).ConfigureAwait(false);
        }

        await MoveToAsync(target).ConfigureAwait(false);
    }

    /// <summary>Moves virtual time to the next due timer, fires what is due there and waits until the tree is idle.</summary>
    /// <returns>The new time.</returns>
    /// <exception cref="InvalidOperationException">No timer is armed.</exception>
    public async Task<DateTimeOffset> AdvanceToNextTimerAsync()
    {
        await WaitForIdleAsync().ConfigureAwait(false);
        var next = Clock.NextDueTime ?? throw new InvalidOperationException($"No timer is armed: nothing would happen.\n{DescribeTree()}");
        await MoveToAsync(next).ConfigureAwait(false);
        return Clock.GetUtcNow();
    }

    /// <summary>Runs <paramref name="ticks"/> ticks of the <see cref="TimerAttribute"/> named <paramref name="timer"/> (moving time to each), whatever else falls due on the way.</summary>
    /// <param name="timer">The timer's name (<c>Class.Method</c>, or the attribute's <c>Name</c>).</param>
    /// <param name="ticks">How many ticks.</param>
    /// <returns>A task that completes when the last tick has run and the tree is idle.</returns>
    public async Task RunTimerAsync(string timer, int ticks = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        await WaitForIdleAsync().ConfigureAwait(false);
        var owner = FindWork<TimerWork>(timer);
        var target = _probe.Runs(owner, timer) + ticks;
        while (_probe.Runs(owner, timer) < target)
        {
            await AdvanceToNextTimerAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Moves time to the next occurrence of the <see cref="CrontabAttribute"/> job named <paramref name="job"/> and runs it.</summary>
    /// <param name="job">The job's name (<c>Class.Method</c>).</param>
    /// <returns>The time the job ran at.</returns>
    public async Task<DateTimeOffset> RunCronJobAsync(string job)
    {
        await WaitForIdleAsync().ConfigureAwait(false);
        var owner = FindWork<CronWork>(job);
        var target = _probe.Runs(owner, job) + 1;
        while (_probe.Runs(owner, job) < target)
        {
            await AdvanceToNextTimerAsync().ConfigureAwait(false);
        }

        return Clock.GetUtcNow();
    }

    /// <summary>How many times the body of the timer or cron job named <paramref name="work"/> has begun under this harness.</summary>
    /// <param name="work">The timer's or job's name.</param>
    /// <returns>The count.</returns>
    public long RunsOf(string work) => _probe.Runs(FindWork<BackgroundWork>(work), work);

    /// <summary>
    /// Makes the <see cref="TaskAttribute"/>, <see cref="TimerAttribute"/> or <see cref="CrontabAttribute"/>
    /// method named <paramref name="work"/> throw: a running task ends with the exception now; a timer or
    /// cron job throws it from its next run (move time to it). The service's error policy then applies
    /// (a crash, or a logged error), as if the method itself had thrown.
    /// </summary>
    /// <param name="work">The method's name (<c>Class.Method</c>, or the attribute's <c>Name</c>).</param>
    /// <param name="exception">What to throw (default an <see cref="InjectedFaultException"/>).</param>
    /// <returns>A task that completes when a task's fault has taken effect and the tree is idle (at once for a timer).</returns>
    public async Task InjectFaultAsync(string work, Exception? exception = null)
    {
        await WaitForIdleAsync().ConfigureAwait(false);
        var owner = FindWork<BackgroundWork>(work);
        var fault = exception ?? new InjectedFaultException(work);
        if (ServiceWiring.For(owner).Work.First(w => w.Name == work) is not TaskWork)
        {
            _probe.ArmFault(owner, work, fault);
            return;
        }

        _probe.Enter();
        if (!_probe.FailTask(owner, work, fault))
        {
            _probe.Exit();
            throw new InvalidOperationException($"The task {work} is not running (it ended, or has not started).\n{DescribeTree()}");
        }

        await WaitForIdleAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until <paramref name="service"/> is in <paramref name="state"/>.</summary>
    /// <param name="service">A service of the tree.</param>
    /// <param name="state">The state to wait for.</param>
    /// <returns>A task that completes when it is.</returns>
    public Task WaitForStateAsync(IService service, ServiceState state)
    {
        ArgumentNullException.ThrowIfNull(service);
        return WaitUntilCoreAsync(() => service.State == state, () => $"{service.Label} did not reach {state} (it is {service.State})");
    }

    /// <summary>Waits until the service of the tree labelled <paramref name="label"/> is in <paramref name="state"/>.</summary>
    /// <param name="label">The service's <see cref="IService.Label"/> or <see cref="IService.ShortLabel"/>.</param>
    /// <param name="state">The state to wait for.</param>
    /// <returns>The service.</returns>
    public async Task<IService> WaitForStateAsync(string label, ServiceState state)
    {
        IService? found = null;
        await WaitUntilCoreAsync(
            () => (found = Find(s => s.Label == label || s.ShortLabel == label)) is { } s && s.State == state,
            () => $"No service labelled {label} reached {state}").ConfigureAwait(false);
        return found!;
    }

    /// <summary>Waits until a service of type <typeparamref name="T"/> in the tree is in <paramref name="state"/>.</summary>
    /// <typeparam name="T">The service type.</typeparam>
    /// <param name="state">The state to wait for.</param>
    /// <returns>The service.</returns>
    public async Task<T> WaitForStateAsync<T>(ServiceState state) where T : IService
    {
        IService? found = null;
        await WaitUntilCoreAsync(
            () => (found = Find(s => s is T && s.State == state)) is not null,
            () => $"No {typeof(T).Name} reached {state}").ConfigureAwait(false);
        return (T)found!;
    }

    /// <summary>Waits until the root of the tree has crashed (<see cref="IService.IsCrashed"/>).</summary>
    /// <returns>The crash reason.</returns>
    public async Task<Exception?> WaitForCrashAsync()
    {
        await WaitUntilCoreAsync(() => Service.IsCrashed, () => "The tree did not crash").ConfigureAwait(false);
        return Service.CrashReason;
    }

    /// <summary>Waits until <paramref name="service"/> has been restarted at least <paramref name="restarts"/> times (by a supervisor) and is running again.</summary>
    /// <param name="service">A supervised service.</param>
    /// <param name="restarts">Its <see cref="IService.RestartCount"/> to reach.</param>
    /// <returns>A task that completes then.</returns>
    public Task WaitForRestartsAsync(IService service, int restarts)
    {
        ArgumentNullException.ThrowIfNull(service);
        return WaitUntilCoreAsync(
            () => service.RestartCount >= restarts && service.State == ServiceState.Running,
            () => $"{service.Label} was not restarted {restarts} time(s) (restarts: {service.RestartCount}, state: {service.State})");
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, checked again at every change the runtime reports
    /// (a state, a hook, a run, the tree becoming idle) — no polling.
    /// </summary>
    /// <param name="condition">What to wait for.</param>
    /// <param name="what">Said in the timeout's message.</param>
    /// <returns>A task that completes when it holds.</returns>
    public Task WaitUntilAsync(Func<bool> condition, string what = "The condition did not hold")
    {
        ArgumentNullException.ThrowIfNull(condition);
        return WaitUntilCoreAsync(condition, () => what);
    }

    /// <summary>
    /// The hooks entered so far whose name is one of <paramref name="hooks"/> (all when none is given),
    /// as one line: <c>"App.OnStartAsync, Cache.OnStartAsync"</c>.
    /// </summary>
    /// <param name="hooks">Hook names (<c>nameof(Service.OnStartAsync)</c>, or <c>"OnStartAsync"</c>).</param>
    /// <returns>The line.</returns>
    public string HookOrder(params string[] hooks) =>
        string.Join(", ", Hooks.Where(h => hooks.Length == 0 || hooks.Contains(h[(h.LastIndexOf('.') + 1)..])));

    /// <summary>The tree as text: per service its state, the hook it is in, running tasks and timers.</summary>
    /// <returns>The text, one service per line.</returns>
    public string DescribeTree()
    {
        var text = new StringBuilder();
        Worker.AppendTree(text, Service.Beacon, 0);
        return text.ToString();
    }

    /// <summary>Stops the tree (if it is not stopped), within <see cref="Timeout"/>.</summary>
    /// <returns>A task that completes when the tree has stopped.</returns>
    /// <exception cref="TimeoutException">The stop did not complete in time; the message shows the tree.</exception>
    public Task StopAsync() => Bound(Service.StopAsync(), $"{Service.Label} did not stop");

    /// <summary>Stops the tree within <see cref="Timeout"/>; a stop that hangs throws instead of hanging the test.</summary>
    /// <returns>A task that completes when the tree has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && Service.IsStarted)
        {
            await StopAsync().ConfigureAwait(false);
        }
    }

    private async Task MoveToAsync(DateTimeOffset time)
    {
        // Timers fire inline on this thread; production timers fire on a thread with no context, so a
        // test framework's context must not leak into the tree's work.
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            Clock.MoveTo(time);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }

        await WaitForIdleAsync().ConfigureAwait(false);
    }

    private async Task WaitUntilCoreAsync(Func<bool> condition, Func<string> failure)
    {
        using var limit = new CancellationTokenSource(Timeout);
        while (true)
        {
            // Taken before the check: a change between the check and the await is not missed.
            var changed = _probe.WhenChanged();
            if (condition())
            {
                return;
            }

            try
            {
                await changed.WaitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"{failure()} within {Timeout.TotalSeconds:0.###} s.\n{DescribeTree()}");
            }
        }
    }

    private async Task Bound(Task task, string failure)
    {
        try
        {
            await task.WaitAsync(Timeout).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"{failure} within {Timeout.TotalSeconds:0.###} s.\n{DescribeTree()}");
        }
    }

    private IService? Find(Func<IService, bool> match)
    {
        foreach (var node in Service.Beacon.Traverse())
        {
            if (match(node.Data))
            {
                return node.Data;
            }
        }

        return null;
    }

    /// <summary>The one service of the tree whose wiring has work named <paramref name="name"/> of kind <typeparamref name="TWork"/>.</summary>
    private Service FindWork<TWork>(string name) where TWork : BackgroundWork
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Service? owner = null;
        var known = new List<string>();
        foreach (var node in Service.Beacon.Traverse())
        {
            if (Mode.Service.AsService(node.Data) is not { } service)
            {
                continue;
            }

            foreach (var work in ServiceWiring.For(service).Work)
            {
                if (work is not TWork)
                {
                    continue;
                }

                known.Add(work.Name);
                if (work.Name == name)
                {
                    if (owner is not null && !ReferenceEquals(owner, service))
                    {
                        throw new InvalidOperationException($"Two services of the tree have {name}: {owner.Label} and {service.Label}.");
                    }

                    owner = service;
                }
            }
        }

        return owner ?? throw new ArgumentException(
            $"No service of the tree has {name}. Known: {(known.Count == 0 ? "none" : string.Join(", ", known.Distinct()))}.", nameof(name));
    }
}
