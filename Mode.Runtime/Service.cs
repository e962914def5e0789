using System.ComponentModel;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mode.Background;
using Mode.Internal;
using Mode.Logging;

namespace Mode;

/// <summary>
/// A service (Mode's <c>Service</c>): derive from it, override the lifecycle hooks you need, mark
/// background work with <see cref="TaskAttribute"/>, <see cref="TimerAttribute"/> and
/// <see cref="CrontabAttribute"/> and dependencies with <see cref="DependsOnAttribute"/>, and make the
/// class <c>partial</c> so the Mode source generator can wire them without reflection.
/// </summary>
/// <remarks>
/// <para>Start runs, in order: the <see cref="DependsOnAttribute"/> members and
/// <see cref="OnInitDependencies"/> are added as children (first start only),
/// <see cref="OnFirstStartAsync"/> (first start only), "Starting...", <see cref="OnStartAsync"/>,
/// background work is scheduled, the children start one by one in order, "Started.",
/// <see cref="OnStartedAsync"/>. Stop runs: "Stopping...", <see cref="StoppingToken"/> is cancelled
/// and <see cref="SleepAsync(TimeSpan, CancellationToken)"/> wakes, <see cref="OnStopAsync"/>, the children stop in reverse
/// order, the optional wait for <see cref="SetShutdown"/>, the background work is awaited (at most
/// <see cref="ShutdownTimeout"/>), contexts are disposed in reverse, <see cref="OnShutdownAsync"/>.</para>
/// <para>Hooks run on the thread pool (or, for a <c>ServiceThread</c>, on its own thread). The
/// members of this class are thread-safe unless stated otherwise.</para>
/// </remarks>
public abstract partial class Service : IService
{
    // Every field of Service is declared here, grouped by the partial file that uses it. What most
    // running services never touch lives in ColdState (bottom of this file), allocated on first
    // write, so that an idle service stays small.

    // Lifecycle (Service.Lifecycle.cs)
    private static readonly Task<bool> s_true = Task.FromResult(true);
    private static readonly Task<bool> s_false = Task.FromResult(false);
    private static readonly Func<Service, CancellationToken, Task> s_startCore = static (s, ct) => s.StartCoreAsync(ct);
    private static readonly Func<Service, CancellationToken, Task> s_stopCore = static (s, ct) => s.StopCoreAsync(ct);
    private static readonly Func<Service, CancellationToken, Task> s_restartHook = static (s, ct) => s.OnRestartAsync(ct).AsTask();
    private const int Initialized = 1; // OnInit ran
    private const int Started = 2; // a start was claimed (StartAsync, MaybeStartAsync)
    private const int StopClaimed = 4; // a stop was claimed; later StopAsync calls join it
    private const int Crashed = 8;
    private const int Stopping = 16; // the stop began: StoppingToken cancelled, sleepers woken
    private const int RestartInFlight = 32; // RestartAsync has not reached its start yet (ColdState.RestartGate)
    private const int StopDone = 64; // the claimed stop has completed (set just before _stopCompleted)
    private int _flags;
    // The phase word (Service.Lifecycle.cs): a ServiceState in the low bits, CallingStartHookBit, and
    // the run above them, which every Reset advances. The start moves it only by compare-and-swap of
    // the whole word, so a start of an earlier run can never move the phase of a later one.
    private int _phase;
    private const int PhaseMask = 0xF;
    private const int CallingStartHookBit = 0x10; // the start is calling OnStartAsync (ColdState.StartHookCalled)
    private const int RunUnit = 0x20;
    private int _restartCount;
    private volatile string? _activity;
    private CancellationTokenSource? _stoppingCts;
    private LazySignal _stoppedOrCrashed;
    private LazySignal _stopCompleted;
    private LazySignal _shutdownSignal;

    // Logging and the tree (this file, Service.Dependencies.cs)
    private ILogger? _log;
    private Node? _beacon;
    private bool _continueOnCapturedContext;

    // _sync guards the children, the contexts, the background entries and the sleeper list.
    private readonly object _sync = new();

    // Background work (Service.Background.cs): past this many entries, finished futures are pruned.
    private const int PruneThreshold = 32;
    private BackgroundEntry[]? _background;
    private int _backgroundCount;
    private bool _backgroundClosed;

    // Sleeping (Service.Waiting.cs): the pooled sleeper of SleepAsync, and every sleeper to wake on a stop.
    private Sleeper? _sleeper;
    private Sleeper? _sleepers;

    // IterTimerAsync's schedule is a timer whose body is the caller's loop.
    private static readonly Func<Service, CancellationToken, ValueTask> s_noTimerBody = static (_, _) => default;

    private static readonly TimeSpan s_defaultShutdownTimeout = TimeSpan.FromSeconds(60);

    private ColdState? _cold;

    /// <summary>Creates a service in the <see cref="ServiceState.Init"/> state. Does nothing else.</summary>
    protected Service()
    {
    }

    /// <summary>
    /// The clock every wait, sleep and timer of this service uses (default <see cref="TimeProvider.System"/>).
    /// A child added with <see cref="AddDependency{T}"/> that has not set its own inherits its parent's.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set after the service started.</exception>
    public TimeProvider TimeProvider
    {
        get => _cold?.TimeProvider ?? TimeProvider.System;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ThrowIfStarted(nameof(TimeProvider));
            Cold.TimeProvider = value;
        }
    }

    /// <summary>
    /// Where this service's logger comes from (default: a factory that discards everything).
    /// Inherited by children like <see cref="TimeProvider"/>. The logger's category is the
    /// service's full type name.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set after the service started.</exception>
    public ILoggerFactory LoggerFactory
    {
        get => _cold?.LoggerFactory ?? NullLoggerFactory.Instance;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ThrowIfStarted(nameof(LoggerFactory));
            Cold.LoggerFactory = value;
            _log = null;
        }
    }

    /// <summary>How long a stop waits for <see cref="SetShutdown"/> and for background work (default 60 s, as Mode).</summary>
    public TimeSpan ShutdownTimeout
    {
        get => _cold?.ShutdownTimeout ?? s_defaultShutdownTimeout;
        set => Cold.ShutdownTimeout = value;
    }

    /// <summary>
    /// How long a start may take (default <see langword="null"/>: no limit). When it expires, the
    /// start's token is cancelled, what started is stopped (in reverse, as any stop) and the start
    /// fails with a <see cref="TimeoutException"/> naming the service still starting and the hook it
    /// is in. Measured on <see cref="TimeProvider"/>. A child that has not set its own inherits its
    /// parent's, like the clock; the Worker and Mode.Hosting set one on their tree.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative.</exception>
    /// <exception cref="InvalidOperationException">Set after the service started.</exception>
    public TimeSpan? StartTimeout
    {
        get => _cold?.StartTimeout;
        set
        {
            if (value is { } timeout)
            {
                ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(value));
            }

            ThrowIfStarted(nameof(StartTimeout));
            if (value is not null || _cold is not null)
            {
                Cold.StartTimeout = value;
            }
        }
    }

    /// <summary>When <see langword="true"/>, a stop waits (up to <see cref="ShutdownTimeout"/>) for <see cref="SetShutdown"/>.</summary>
    public bool WaitForShutdown
    {
        get => _cold?.WaitForShutdown ?? false;
        set => Cold.WaitForShutdown = value;
    }

    /// <summary>The level of the "Starting..." and "Stopping..." lines (default <see cref="LogLevel.Information"/>).</summary>
    public LogLevel MundaneLevel
    {
        get => _cold?.MundaneLevel ?? LogLevel.Information;
        set => Cold.MundaneLevel = value;
    }

    /// <summary>The name used in logs and graphs; by default the class name without generic arity.</summary>
    public virtual string Label => DefaultLabels.Of(GetType());

    /// <summary>The name used in log prefixes and paths; by default the same as <see cref="Label"/>.</summary>
    public virtual string ShortLabel => Label;

    /// <inheritdoc/>
    public Node Beacon
    {
        get
        {
            var beacon = Volatile.Read(ref _beacon);
            if (beacon is null)
            {
                var created = new Node(this);
                beacon = Interlocked.CompareExchange(ref _beacon, created, null) ?? created;
            }

            return beacon;
        }
    }

    /// <inheritdoc/>
    public ISupervisor? Supervisor
    {
        get => _cold?.Supervisor;
        set
        {
            if (value is not null || _cold is not null)
            {
                Cold.Supervisor = value;
            }
        }
    }

    /// <summary>Diagnostic flags: what this service is doing right now.</summary>
    public Diag Diag
    {
        get
        {
            var cold = Cold;
            var diag = Volatile.Read(ref cold.Diag);
            if (diag is null)
            {
                var created = new Diag(() => TimeProvider);
                diag = Interlocked.CompareExchange(ref cold.Diag, created, null) ?? created;
            }

            return diag;
        }
    }

    /// <summary>
    /// This service's logger: every line is written inside a <see cref="ServiceLogScope"/>, which the
    /// Worker renders as Mode's <c>[^--Label]:</c> prefix.
    /// </summary>
    protected ILogger Log
    {
        get
        {
            var log = _log;
            if (log is null)
            {
                var factory = LoggerFactory;
                log = factory is NullLoggerFactory
                    ? NullLogger.Instance
                    : new ServiceLogger(factory.CreateLogger(GetType().FullName ?? GetType().Name), new ServiceLogScope(this));
                _log = log;
            }

            return log;
        }
    }

    /// <summary><see cref="Log"/>, for the runtime's own helpers (background work, supervisors).</summary>
    internal ILogger Logger => Log;

    /// <summary>
    /// Called once, lazily, right before the first start (Mode calls <c>on_init</c> from its
    /// constructor; C# must not call virtual members from a base constructor).
    /// </summary>
    protected virtual void OnInit()
    {
    }

    /// <summary>Returns the services to add as children at the first start (not called again on restart).</summary>
    /// <returns>The services to add, in start order.</returns>
    protected virtual IEnumerable<IService> OnInitDependencies() => [];

    /// <summary>Runs at the first start only, before "Starting..." and <see cref="OnStartAsync"/>.</summary>
    /// <param name="cancellationToken">The token given to <see cref="StartAsync"/>.</param>
    protected virtual ValueTask OnFirstStartAsync(CancellationToken cancellationToken) => default;

    /// <summary>Runs at every start, before background work is scheduled and before any child starts.</summary>
    /// <param name="cancellationToken">The token given to <see cref="StartAsync"/>.</param>
    protected virtual ValueTask OnStartAsync(CancellationToken cancellationToken) => default;

    /// <summary>Runs at every start, after every child has started.</summary>
    /// <param name="cancellationToken">The token given to <see cref="StartAsync"/>.</param>
    protected virtual ValueTask OnStartedAsync(CancellationToken cancellationToken) => default;

    /// <summary>Runs first in a stop, after <see cref="StoppingToken"/> is cancelled and before any child stops.</summary>
    /// <param name="cancellationToken">The token given to <see cref="StopAsync"/>.</param>
    protected virtual ValueTask OnStopAsync(CancellationToken cancellationToken) => default;

    /// <summary>Runs last in a stop, after children, background work and contexts are done.</summary>
    /// <param name="cancellationToken">The token given to <see cref="StopAsync"/>.</param>
    protected virtual ValueTask OnShutdownAsync(CancellationToken cancellationToken) => default;

    /// <summary>Runs in <see cref="RestartAsync"/> between the stop and the start, on the restarted service only.</summary>
    /// <param name="cancellationToken">The token given to <see cref="RestartAsync"/>.</param>
    protected virtual ValueTask OnRestartAsync(CancellationToken cancellationToken) => default;

    /// <summary>
    /// Registers this type's background tasks, timers, cron jobs and dependencies. The Mode source
    /// generator overrides it for every <c>partial</c> class that uses the attributes; an override
    /// calls <c>base.ConfigureWiring(wiring)</c> first. Called once per concrete type.
    /// </summary>
    /// <param name="wiring">The type's wiring, shared by all its instances.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected virtual void ConfigureWiring(ServiceWiring wiring)
    {
    }

    internal void InvokeConfigureWiring(ServiceWiring wiring) => ConfigureWiring(wiring);

    /// <inheritdoc/>
    public override string ToString() => $"<{Label}: {State}>";

    /// <summary>
    /// When <see langword="true"/> (a <c>ServiceThread</c> and its children), the lifecycle resumes on
    /// the captured <see cref="SynchronizationContext"/> after each await; otherwise on the thread pool.
    /// </summary>
    internal bool ContinueOnCapturedContext
    {
        get => _continueOnCapturedContext;
        set => _continueOnCapturedContext = value;
    }

    /// <summary>
    /// The <see cref="Mode.BlockingDetector"/> watching this tree (a <see cref="Worker"/> in debug mode
    /// sets it on itself), passed to children like the clock; a <see cref="ServiceThread"/> has its
    /// loop watched by it.
    /// </summary>
    internal BlockingDetector? TreeBlockingDetector
    {
        get => _cold?.BlockingDetector;
        set => Cold.BlockingDetector = value;
    }

    /// <summary>The test hook of a tree under Mode.Testing's harness (<see cref="IdleProbe"/>), passed to children like the clock.</summary>
    internal IdleProbe? TestProbe
    {
        get => _cold?.TestProbe;
        set => Cold.TestProbe = value;
    }


    /// <summary>Records the hook being run (<see cref="CurrentHook"/>) and tells a test probe.</summary>
    private void EnterHook(string hook)
    {
        _activity = hook;
        _cold?.TestProbe?.OnHook(this, hook);
    }

    /// <summary>Whether any of <paramref name="flags"/> is set.</summary>
    private bool HasFlag(int flags) => (Volatile.Read(ref _flags) & flags) != 0;

    /// <summary>Sets <paramref name="flag"/>; <see langword="true"/> for the call that set it (a claim).</summary>
    private bool TrySetFlag(int flag) => (Interlocked.Or(ref _flags, flag) & flag) == 0;

    private void SetFlag(int flag) => Interlocked.Or(ref _flags, flag);

    private void ClearFlags(int flags) => Interlocked.And(ref _flags, ~flags);

    /// <summary>The cold state, created on first use.</summary>
    private ColdState Cold
    {
        get
        {
            var cold = Volatile.Read(ref _cold);
            if (cold is null)
            {
                var created = new ColdState();
                cold = Interlocked.CompareExchange(ref _cold, created, null) ?? created;
            }

            return cold;
        }
    }

    private void EnsureInitialized()
    {
        if (TrySetFlag(Initialized))
        {
            OnInit();
        }
    }

    private void ThrowIfStarted(string property)
    {
        if (IsStarted)
        {
            throw new InvalidOperationException($"{property} of service '{Label}' cannot change after it started.");
        }
    }

    /// <summary>
    /// What most running services never touch: settings left at their defaults, the crash and stop
    /// results, children, contexts, diagnostics. One object, created on first write (see
    /// <see cref="Cold"/>); a read while it does not exist yet gets the default.
    /// </summary>
    private sealed class ColdState
    {
        // Settings (this file); the ambient ones are passed to children (Service.Dependencies.cs).
        public TimeProvider? TimeProvider;
        public ILoggerFactory? LoggerFactory;
        public BlockingDetector? BlockingDetector;
        public IdleProbe? TestProbe;
        public TimeSpan ShutdownTimeout = s_defaultShutdownTimeout;
        public TimeSpan? StartTimeout;
        public bool WaitForShutdown;
        public LogLevel MundaneLevel = LogLevel.Information;
        public ISupervisor? Supervisor;
        public Diag? Diag;

        // Lifecycle results (Service.Lifecycle.cs)
        public Exception? CrashReason;
        public ExceptionDispatchInfo? StopError;

        // A restart that has not reached its start yet, and whether a StopAsync arrived meanwhile;
        // guarded by _sync (Service.Lifecycle.cs).
        public TaskCompletionSource? RestartGate;
        public bool StopRequestedDuringRestart;

        // A stop waiting for the start's call of OnStartAsync to return; guarded by _sync.
        public TaskCompletionSource? StartHookCalled;

        // Children and contexts (Service.Dependencies.cs), guarded by _sync
        public List<IService>? Children;
        public List<(object Context, bool IsAsync)>? Contexts;

        // Background work (Service.Background.cs)
        public long BackgroundErrors;
    }
}
