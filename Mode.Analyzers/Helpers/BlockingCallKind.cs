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
