namespace Mode.Analyzers.Helpers;

/// <summary>
/// What MODE002 found; carried to the code fix in the diagnostic's properties
/// (<see cref="BlockingCallProperties"/>).
/// </summary>
internal enum BlockingCallKind
{
    /// <summary><c>Thread.Sleep(x)</c>.</summary>
    Sleep,

    /// <summary><c>task.Wait(...)</c>.</summary>
    Wait,

    /// <summary><c>Task.WaitAll(...)</c>.</summary>
    WaitAll,

    /// <summary><c>Task.WaitAny(...)</c>.</summary>
    WaitAny,

    /// <summary><c>task.Result</c>.</summary>
    Result,

    /// <summary><c>task.GetAwaiter().GetResult()</c>.</summary>
    GetResult,

    /// <summary><c>Monitor.Enter</c> (or <c>Lock.Enter</c>) followed by an await in the same function.</summary>
    LockAcrossAwait,

    /// <summary>A known blocking wait without an awaitable twin: <c>WaitHandle.WaitOne</c>, <c>Thread.Join</c>, ...</summary>
    BlockingWait,

    /// <summary><c>Console.ReadLine</c>, <c>Console.ReadKey</c>, <c>Console.Read</c>.</summary>
    ConsoleRead,

    /// <summary>A synchronous method with an <c>…Async</c> twin on the same type.</summary>
    AsyncTwin,

    /// <summary><c>Thread.SpinWait</c>, <c>SpinWait.SpinUntil</c>, <c>SpinWait.SpinOnce</c> in a loop.</summary>
    BusyWait,

    /// <summary><c>x.Dispose()</c> where <c>x</c> is <c>IAsyncDisposable</c>.</summary>
    SyncDispose,

    /// <summary>A <c>using</c> statement or declaration without <c>await</c> of an <c>IAsyncDisposable</c>.</summary>
    SyncUsing,

    /// <summary>A member listed in <c>mode_blocking_apis</c> (<c>.editorconfig</c>).</summary>
    UserListed,

    /// <summary>A synchronous method of the compilation that blocks, directly or through further helpers.</summary>
    BlockingHelper,
}

/// <summary>Keys of the diagnostic properties MODE002 passes to its code fix.</summary>
internal static class BlockingCallProperties
{
    /// <summary>A <see cref="BlockingCallKind"/> name.</summary>
    public const string Kind = "Kind";

    /// <summary>The name of the awaitable twin, when there is one.</summary>
    public const string Twin = "Twin";

    /// <summary>"true" when the twin takes one more parameter, a <c>CancellationToken</c>.</summary>
    public const string TwinTakesToken = "TwinTakesToken";

    /// <summary>"true" when the call is in instance code of a <c>Mode.Service</c> (so <c>SleepAsync</c> is in scope).</summary>
    public const string InService = "InService";
}
