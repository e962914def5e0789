using System.Collections.Immutable;

namespace Mode.Analyzers.Helpers;

/// <summary>When a catalogued member blocks.</summary>
internal enum BlockingCondition
{
    /// <summary>Every call.</summary>
    Always,

    /// <summary>Unless a timeout argument is zero (<c>0</c>, <c>TimeSpan.Zero</c>): such a call only polls.</summary>
    UnlessZeroTimeout,

    /// <summary>Only the overloads with a timeout parameter, and not with a zero timeout (<c>TryTake(out x, 100)</c>).</summary>
    WithNonZeroTimeout,

    /// <summary>Only inside a loop: <c>SpinWait.SpinOnce()</c> once is a back-off step, in a loop it is a busy wait.</summary>
    InLoop,
}

/// <summary>One row of <see cref="BlockingApiCatalog"/>.</summary>
/// <param name="Type">Metadata name of the declaring type (<c>Outer+Inner</c> for nested types).</param>
/// <param name="Members">The member names; a property stands for its getter.</param>
/// <param name="Kind">What the code fix may do with it.</param>
/// <param name="When">Which calls block.</param>
/// <param name="Advice">What the message suggests instead (when the member has no awaitable twin).</param>
/// <param name="Derived">Whether calls through derived types count (<c>ManualResetEvent.WaitOne</c> for <c>WaitHandle</c>).</param>
internal sealed record BlockingApi(string Type, ImmutableArray<string> Members, BlockingCallKind Kind, BlockingCondition When, string Advice, bool Derived = false);

/// <summary>
/// The framework APIs MODE002 knows to block a thread: one table, documented in
/// <c>Mode.Analyzers/docs/MODE002.md</c> (keep the two in step). Besides these, MODE002 reports any
/// synchronous method with an awaitable <c>…Async</c> twin (<see cref="AsyncTwinFinder"/>), a
/// synchronous <c>Dispose</c> of an <c>IAsyncDisposable</c> (<see cref="SyncDisposeExemptTypes"/> aside),
/// the users' own entries (<c>mode_blocking_apis</c> in <c>.editorconfig</c>), and calls of helpers
/// in the compilation that reach any of these.
/// </summary>
internal static class BlockingApiCatalog
{
    private const string AwaitTheTask = "await the task instead";
    private const string AwaitableWait = "use an awaitable alternative such as SemaphoreSlim.WaitAsync, a TaskCompletionSource or Task.WaitAsync";
    private const string Channel = "use System.Threading.Channels (await ReadAsync/WriteAsync) instead";
    private const string AsyncSocket = "use the socket's awaitable methods (ReceiveAsync, SendAsync, AcceptAsync, ConnectAsync) instead";
    private const string AsyncStream = "use ReadAsync/WriteAsync with a Memory<byte> instead";
    private const string SpinAdvice = "a spin burns a thread-pool thread; await a signal (TaskCompletionSource, SemaphoreSlim.WaitAsync) or Task.Delay instead";

    public static readonly ImmutableArray<BlockingApi> Entries =
    [
        // Sleeping and spinning.
        new("System.Threading.Thread", ["Sleep"], BlockingCallKind.Sleep, BlockingCondition.UnlessZeroTimeout, "await Task.Delay instead"),
        new("System.Threading.Thread", ["SpinWait"], BlockingCallKind.BusyWait, BlockingCondition.Always, SpinAdvice),
        new("System.Threading.SpinWait", ["SpinUntil"], BlockingCallKind.BusyWait, BlockingCondition.UnlessZeroTimeout, SpinAdvice),
        new("System.Threading.SpinWait", ["SpinOnce"], BlockingCallKind.BusyWait, BlockingCondition.InLoop, SpinAdvice),

        // Waiting for tasks (a task known to be complete is not reported: see BlockingCallFinder).
        new("System.Threading.Tasks.Task", ["Wait"], BlockingCallKind.Wait, BlockingCondition.UnlessZeroTimeout, AwaitTheTask),
        new("System.Threading.Tasks.Task", ["WaitAll"], BlockingCallKind.WaitAll, BlockingCondition.UnlessZeroTimeout, "await Task.WhenAll instead"),
        new("System.Threading.Tasks.Task", ["WaitAny"], BlockingCallKind.WaitAny, BlockingCondition.UnlessZeroTimeout, "await Task.WhenAny instead"),
        new("System.Threading.Tasks.Task`1", ["Result"], BlockingCallKind.Result, BlockingCondition.Always, AwaitTheTask),
        new("System.Threading.Tasks.ValueTask`1", ["Result"], BlockingCallKind.Result, BlockingCondition.Always, AwaitTheTask),
        new("System.Runtime.CompilerServices.TaskAwaiter", ["GetResult"], BlockingCallKind.GetResult, BlockingCondition.Always, AwaitTheTask),
        new("System.Runtime.CompilerServices.TaskAwaiter`1", ["GetResult"], BlockingCallKind.GetResult, BlockingCondition.Always, AwaitTheTask),
        new("System.Runtime.CompilerServices.ValueTaskAwaiter", ["GetResult"], BlockingCallKind.GetResult, BlockingCondition.Always, AwaitTheTask),
        new("System.Runtime.CompilerServices.ValueTaskAwaiter`1", ["GetResult"], BlockingCallKind.GetResult, BlockingCondition.Always, AwaitTheTask),
        new("System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter", ["GetResult"], BlockingCallKind.GetResult, BlockingCondition.Always, AwaitTheTask),
        new("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter", ["GetResult"], BlockingCallKind.GetResult, BlockingCondition.Always, AwaitTheTask),
        new("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter", ["GetResult"], BlockingCallKind.GetResult, BlockingCondition.Always, AwaitTheTask),
        new("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter", ["GetResult"], BlockingCallKind.GetResult, BlockingCondition.Always, AwaitTheTask),

        // Thread-affine locks: reported only when an await follows before the Exit.
        new("System.Threading.Monitor", ["Enter", "TryEnter"], BlockingCallKind.LockAcrossAwait, BlockingCondition.Always, "the lock is thread-affine and held across an await; use SemaphoreSlim.WaitAsync instead"),
        new("System.Threading.Lock", ["Enter", "TryEnter", "EnterScope"], BlockingCallKind.LockAcrossAwait, BlockingCondition.Always, "the lock is thread-affine and held across an await; use SemaphoreSlim.WaitAsync instead"),

        // Synchronisation primitives.
        new("System.Threading.SemaphoreSlim", ["Wait"], BlockingCallKind.BlockingWait, BlockingCondition.UnlessZeroTimeout, AwaitableWait),
        new("System.Threading.ManualResetEventSlim", ["Wait"], BlockingCallKind.BlockingWait, BlockingCondition.UnlessZeroTimeout, AwaitableWait),
        new("System.Threading.CountdownEvent", ["Wait"], BlockingCallKind.BlockingWait, BlockingCondition.UnlessZeroTimeout, AwaitableWait),
        new("System.Threading.Barrier", ["SignalAndWait"], BlockingCallKind.BlockingWait, BlockingCondition.UnlessZeroTimeout, AwaitableWait),
        new("System.Threading.WaitHandle", ["WaitOne", "WaitAll", "WaitAny", "SignalAndWait"], BlockingCallKind.BlockingWait, BlockingCondition.UnlessZeroTimeout, AwaitableWait, Derived: true),
        new("System.Threading.Thread", ["Join"], BlockingCallKind.BlockingWait, BlockingCondition.UnlessZeroTimeout, AwaitableWait),

        // Processes and the console.
        new("System.Diagnostics.Process", ["WaitForExit", "WaitForInputIdle"], BlockingCallKind.BlockingWait, BlockingCondition.UnlessZeroTimeout, "await WaitForExitAsync instead"),
        new("System.Console", ["ReadLine"], BlockingCallKind.ConsoleRead, BlockingCondition.Always, "await Console.In.ReadLineAsync instead, or read input outside the service"),
        new("System.Console", ["Read", "ReadKey"], BlockingCallKind.ConsoleRead, BlockingCondition.Always, "read input on a dedicated thread, outside the service"),

        // Producer/consumer collections.
        new("System.Collections.Concurrent.BlockingCollection`1", ["Take", "Add", "TakeFromAny", "AddToAny", "GetConsumingEnumerable"], BlockingCallKind.BlockingWait, BlockingCondition.Always, Channel),
        new("System.Collections.Concurrent.BlockingCollection`1", ["TryTake", "TryAdd", "TryTakeFromAny", "TryAddToAny"], BlockingCallKind.BlockingWait, BlockingCondition.WithNonZeroTimeout, Channel),

        // Synchronous networking.
        new("System.Net.Sockets.Socket", ["Accept", "Connect", "Disconnect", "Receive", "ReceiveFrom", "ReceiveMessageFrom", "Send", "SendTo", "SendFile"], BlockingCallKind.BlockingWait, BlockingCondition.Always, AsyncSocket),
        new("System.Net.Sockets.NetworkStream", ["Read", "ReadByte", "ReadExactly", "ReadAtLeast", "Write", "WriteByte", "CopyTo"], BlockingCallKind.BlockingWait, BlockingCondition.Always, AsyncStream),
        new("System.Net.Sockets.TcpClient", ["Connect"], BlockingCallKind.BlockingWait, BlockingCondition.Always, "await ConnectAsync instead"),
        new("System.Net.Sockets.TcpListener", ["AcceptSocket", "AcceptTcpClient"], BlockingCallKind.BlockingWait, BlockingCondition.Always, "await AcceptSocketAsync/AcceptTcpClientAsync instead"),
        new("System.Net.Sockets.UdpClient", ["Receive", "Send"], BlockingCallKind.BlockingWait, BlockingCondition.Always, "await ReceiveAsync/SendAsync instead"),
        new("System.Net.Dns", ["GetHostEntry", "GetHostAddresses", "GetHostByName", "GetHostByAddress", "Resolve"], BlockingCallKind.BlockingWait, BlockingCondition.Always, "await Dns.GetHostEntryAsync/GetHostAddressesAsync instead"),
    ];

    /// <summary>
    /// Types whose synchronous <c>Dispose</c> does not block although they implement
    /// <c>IAsyncDisposable</c>: in-memory I/O; <c>Timer</c>, whose <c>Dispose</c> returns at once (only
    /// <c>DisposeAsync</c> waits for running callbacks); <c>CancellationTokenRegistration</c>, whose
    /// <c>Dispose</c> waits only for its own callback when that is running right then (the usual
    /// <c>using var r = token.Register(...)</c> in async code).
    /// </summary>
    public static readonly ImmutableArray<string> SyncDisposeExemptTypes =
    [
        "System.IO.MemoryStream",
        "System.IO.UnmanagedMemoryStream",
        "System.IO.StringWriter",
        "System.Threading.Timer",
        "System.Threading.CancellationTokenRegistration",
    ];

    /// <summary>Types whose synchronous I/O never blocks: the <c>…Async</c> twin rule leaves them alone.</summary>
    public static readonly ImmutableArray<string> InMemoryTypes =
    [
        "System.IO.MemoryStream",
        "System.IO.UnmanagedMemoryStream",
        "System.IO.StringReader",
        "System.IO.StringWriter",
    ];
}
