using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

/// <summary>
/// Calls that cannot block are not MODE002: waits with a zero timeout, and results of tasks that are
/// complete at that point. Each near miss stands beside the form that does block.
/// </summary>
public class BlockingNearMissTests
{
    private const string Id = DiagnosticIds.BlockingCallInAsyncHook;

    private const string Members = """
        private readonly SemaphoreSlim _gate = new(1);
        private readonly ManualResetEventSlim _slim = new();
        private readonly ManualResetEvent _event = new(false);
        """;

    private static Task VerifyInHookAsync(string body) =>
        ModeAnalyzerTest.VerifyAsync(Id, HookSource.InStartAsync(body, Members));

    [Fact]
    public Task Analyze_ZeroTimeoutWaits_NoDiagnostic() =>
        VerifyInHookAsync(
            "var t = Task.Delay(1); var done = t.Wait(0) && t.Wait(TimeSpan.Zero) && _gate.Wait(0) && _slim.Wait(TimeSpan.FromMilliseconds(0)) && _event.WaitOne(0) && _event.WaitOne(TimeSpan.Zero) && Task.WaitAll([t], 0); var any = Task.WaitAny([t], 0); Thread.Sleep(0);");

    [Fact]
    public Task Analyze_NonZeroTimeoutWaits_Report() =>
        VerifyInHookAsync(
            "var t = Task.Delay(1); var done = [|t.Wait(1)|] && [|_gate.Wait(TimeSpan.FromMilliseconds(5))|] && [|_event.WaitOne(10)|] && [|Task.WaitAll([t], 100)|];");

    [Fact]
    public Task Analyze_ResultInContinuationOfItsAntecedent_NoDiagnostic() =>
        VerifyInHookAsync(
            "var t = Task.Run(() => 1); var next = await t.ContinueWith(previous => previous.Result + 1); var again = await t.ContinueWith(_ => t.Result + t.GetAwaiter().GetResult());");

    [Fact]
    public Task Analyze_ResultOfAnotherTaskInContinuation_Reports() =>
        VerifyInHookAsync(
            "var t = Task.Run(() => 1); var other = Task.Run(() => 2); var next = await t.ContinueWith(previous => previous.Result + [|other.Result|]);");

    [Fact]
    public Task Analyze_ResultOfLocalHoldingCompletedTask_NoDiagnostic() =>
        VerifyInHookAsync(
            "var t = Task.FromResult(1); var n = t.Result; var done = Task.CompletedTask; done.Wait(); done.GetAwaiter().GetResult();");

    [Fact]
    public Task Analyze_ResultOfLocalReassignedToRunningTask_Reports() =>
        VerifyInHookAsync(
            "var t = Task.FromResult(1); t = Task.Run(() => 2); var n = [|t.Result|];");

    [Fact]
    public Task Analyze_GetResultAfterAwaitOfWhenAllOrBehindIsCompleted_NoDiagnostic() =>
        VerifyInHookAsync(
            "var a = Task.Run(() => 1); var b = Task.Run(() => 2); await Task.WhenAll(a, b); var sum = a.GetAwaiter().GetResult() + b.Result; var c = Task.Run(() => 3); if (c.IsCompletedSuccessfully) { sum += c.GetAwaiter().GetResult(); }");

    [Fact]
    public Task Analyze_GetResultOfTaskNotInWhenAll_Reports() =>
        VerifyInHookAsync(
            "var a = Task.Run(() => 1); var b = Task.Run(() => 2); var c = Task.Run(() => 3); await Task.WhenAll(a, b); var n = [|c.GetAwaiter().GetResult()|];");
}
