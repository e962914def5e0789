using Microsoft.CodeAnalysis;
using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

public class BlockingCallInAsyncHookAnalyzerTests
{
    private const string Id = DiagnosticIds.BlockingCallInAsyncHook;

    private static Task VerifyInHookAsync(string body, string members = "") =>
        ModeAnalyzerTest.VerifyAsync(Id, $$"""
            public partial class App : Service
            {
                private readonly SemaphoreSlim _gate = new(1);
                private readonly object _sync = new();
                {{members}}

                protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    {{body}}
                    await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task Analyze_ThreadSleepInOnStartAsync_Reports() =>
        VerifyInHookAsync("[|Thread.Sleep(100)|];");

    [Fact]
    public Task Analyze_TaskWait_Reports() =>
        VerifyInHookAsync("var t = Task.Delay(1); [|t.Wait()|];");

    [Fact]
    public Task Analyze_TaskResult_Reports() =>
        VerifyInHookAsync("var n = [|Task.Run(() => 1).Result|];");

    [Fact]
    public Task Analyze_GetAwaiterGetResult_Reports() =>
        VerifyInHookAsync("[|Task.Delay(1).ConfigureAwait(false).GetAwaiter().GetResult()|];");

    [Fact]
    public Task Analyze_ValueTaskResult_Reports() =>
        VerifyInHookAsync("var v = [|SleepAsync(1.0).Result|];");

    [Fact]
    public Task Analyze_WaitAllAndWaitAny_Reports() =>
        VerifyInHookAsync("var a = Task.Delay(1); var b = Task.Delay(2); [|Task.WaitAll(a, b)|]; var i = [|Task.WaitAny(a, b)|];");

    [Fact]
    public Task Analyze_SemaphoreSlimWait_Reports() =>
        VerifyInHookAsync("[|_gate.Wait()|]; _gate.Release();");

    [Fact]
    public Task Analyze_WaitHandleWaitOne_Reports() =>
        VerifyInHookAsync("using var e = new ManualResetEvent(false); [|e.WaitOne(10)|];");

    [Fact]
    public Task Analyze_ManualResetEventSlimWait_Reports() =>
        VerifyInHookAsync("using var e = new ManualResetEventSlim(); [|e.Wait(10)|];");

    [Fact]
    public Task Analyze_ThreadJoin_Reports() =>
        VerifyInHookAsync("var thread = new Thread(() => { }); thread.Start(); [|thread.Join()|];");

    [Fact]
    public Task Analyze_ProcessWaitForExit_Reports() =>
        VerifyInHookAsync("using var p = System.Diagnostics.Process.GetCurrentProcess(); [|p.WaitForExit()|];");

    [Fact]
    public Task Analyze_ConsoleReadLine_Reports() =>
        VerifyInHookAsync("var line = [|Console.ReadLine()|];");

    [Fact]
    public Task Analyze_FileReadAllText_Reports() =>
        VerifyInHookAsync("var text = [|File.ReadAllText(\"a.txt\")|];");

    [Fact]
    public Task Analyze_StreamRead_Reports() =>
        VerifyInHookAsync("[|using|] var s = File.OpenRead(\"a\"); var buffer = new byte[10]; var n = [|s.Read(buffer, 0, 10)|];");

    [Fact]
    public Task Analyze_StreamReaderReadToEnd_Reports() =>
        VerifyInHookAsync("using var r = new StreamReader(\"a\"); var all = [|r.ReadToEnd()|];");

    [Fact]
    public Task Analyze_HttpClientSend_Reports() =>
        VerifyInHookAsync("using var http = new System.Net.Http.HttpClient(); using var response = [|http.Send(new System.Net.Http.HttpRequestMessage())|];");

    [Fact]
    public Task Analyze_OwnMethodWithAsyncTwin_Reports() =>
        VerifyInHookAsync("[|Flush()|];", """
            private void Flush() { }
            private Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            """);

    [Fact]
    public Task Analyze_MonitorEnterFollowedByAwait_Reports() =>
        VerifyInHookAsync("[|Monitor.Enter(_sync)|]; try { await Task.Delay(1); } finally { Monitor.Exit(_sync); }");

    [Fact]
    public Task Analyze_BlockingCallInsideLock_ReportsTheCallNotTheLock() =>
        VerifyInHookAsync("lock (_sync) { [|Thread.Sleep(1)|]; }");

    [Fact]
    public Task Analyze_InLambdaInsideHook_Reports() =>
        VerifyInHookAsync("Func<Task> f = async () => { [|Thread.Sleep(1)|]; await Task.Yield(); }; await f();");

    [Fact]
    public Task Analyze_InLocalFunctionInsideHook_Reports() =>
        VerifyInHookAsync("void Pause() => [|Thread.Sleep(1)|]; Pause();");

    [Fact]
    public Task Analyze_InTaskMethod_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Task] private async Task RunAsync(CancellationToken cancellationToken)
                {
                    [|Thread.Sleep(1000)|];
                    await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task Analyze_InSyncTimerMethod_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer(5)] private void Tick() => [|File.WriteAllText("tick.txt", "tick")|];
            }
            """);

    [Fact]
    public Task Analyze_InCrontabMethod_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                private Task<int> _pending = Task.FromResult(0);

                [Timer(60)] private ValueTask Nightly() { var n = [|_pending.Result|]; return default; }
            }
            """);

    [Fact]
    public Task Analyze_InEveryLifecycleHook_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override ValueTask OnFirstStartAsync(CancellationToken cancellationToken) { [|Thread.Sleep(1)|]; return default; }
                protected override ValueTask OnStartedAsync(CancellationToken cancellationToken) { [|Thread.Sleep(1)|]; return default; }
                protected override ValueTask OnStopAsync(CancellationToken cancellationToken) { [|Thread.Sleep(1)|]; return default; }
                protected override ValueTask OnShutdownAsync(CancellationToken cancellationToken) { [|Thread.Sleep(1)|]; return default; }
                protected override ValueTask OnRestartAsync(CancellationToken cancellationToken) { [|Thread.Sleep(1)|]; return default; }
            }
            """);

    [Fact]
    public Task Analyze_OverrideOfOverrideInDerivedService_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class Base : Service
            {
                protected override ValueTask OnStopAsync(CancellationToken cancellationToken) => default;
            }

            public partial class Derived : Base
            {
                protected override ValueTask OnStopAsync(CancellationToken cancellationToken) { [|Thread.Sleep(1)|]; return default; }
            }
            """);

    [Fact]
    public Task Analyze_ThreadSleep_MessageNamesHookAndSleepAsync() =>
        ModeAnalyzerTest.VerifyAsync(
            """
            public partial class App : Service
            {
                protected override ValueTask OnStartAsync(CancellationToken cancellationToken) { {|#0:Thread.Sleep(1)|}; return default; }
            }
            """,
            ModeAnalyzerTest.Diagnostic(Id)
                .WithLocation(0)
                .WithSeverity(DiagnosticSeverity.Warning)
                .WithMessage("'Thread.Sleep' blocks a thread in 'App.OnStartAsync'; await SleepAsync instead, which also wakes up when the service stops"));

    // Near misses.

    [Fact]
    public Task Analyze_SyncNonHookMethodInService_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                public void Helper() { Thread.Sleep(1); var s = File.ReadAllText("a"); Task.Delay(1).Wait(); }
                public async Task NotAHookAsync() { Thread.Sleep(1); await Task.Yield(); }
            }
            """);

    [Fact]
    public Task Analyze_SameNamedMethodOutsideService_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public class Plain
            {
                public virtual ValueTask OnStartAsync(CancellationToken cancellationToken) { Thread.Sleep(1); return default; }
            }

            public class Derived : Plain
            {
                public override ValueTask OnStartAsync(CancellationToken cancellationToken) { Thread.Sleep(1); return default; }
            }
            """);

    [Fact]
    public Task Analyze_ServiceNestedInPlainClass_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public class Plain
            {
                public async Task WorkAsync() { Thread.Sleep(1); await Task.Yield(); }

                public partial class Inner : Service
                {
                    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
                    {
                        [|Thread.Sleep(1)|];
                        await Task.Yield();
                    }
                }
            }
            """);

    [Fact]
    public Task Analyze_ServiceThroughGenericBase_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public abstract class Base<T> : Service
            {
            }

            public partial class App : Base<int>
            {
                protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
                {
                    [|Thread.Sleep(1)|];
                    await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task Analyze_ResultAfterAwait_NoDiagnostic() =>
        VerifyInHookAsync("var t = Task.Run(() => 1); await t; var n = t.Result; t.Wait(); t.GetAwaiter().GetResult();");

    [Fact]
    public Task Analyze_ResultAfterAwaitWhenAll_NoDiagnostic() =>
        VerifyInHookAsync("var a = Task.Run(() => 1); var b = Task.Run(() => 2); await Task.WhenAll(a, b).ConfigureAwait(false); var sum = a.Result + b.Result;");

    [Fact]
    public Task Analyze_ResultAfterAwaitWhenAllCollection_NoDiagnostic() =>
        VerifyInHookAsync("var a = Task.Run(() => 1); var b = Task.Run(() => 2); await Task.WhenAll([a, b]); var sum = a.Result + b.Result;");

    [Fact]
    public Task Analyze_ResultBeforeAwait_Reports() =>
        VerifyInHookAsync("var t = Task.Run(() => 1); var n = [|t.Result|]; await t;");

    [Fact]
    public Task Analyze_ResultAfterReassignment_Reports() =>
        VerifyInHookAsync("var t = Task.Run(() => 1); await t; t = Task.Run(() => 2); var n = [|t.Result|];");

    [Fact]
    public Task Analyze_ResultOfOtherTaskAfterWhenAny_Reports() =>
        VerifyInHookAsync("var a = Task.Run(() => 1); var b = Task.Run(() => 2); await Task.WhenAny(a, b); var n = [|a.Result|];");

    [Fact]
    public Task Analyze_ResultGuardedByIsCompleted_NoDiagnostic() =>
        VerifyInHookAsync("var t = Task.Run(() => 1); var n = t.IsCompletedSuccessfully && t.Result > 0 ? 1 : 0; if (t.IsCompleted) { n = t.Result; }");

    [Fact]
    public Task Analyze_CompletedTasks_NoDiagnostic() =>
        VerifyInHookAsync("var n = Task.FromResult(1).Result; Task.CompletedTask.Wait();");

    [Fact]
    public Task Analyze_FieldAwaitedThenResult_NoDiagnostic() =>
        VerifyInHookAsync("await _pending; var n = _pending.Result;", "private Task<int> _pending = Task.FromResult(0);");

    [Fact]
    public Task Analyze_LambdaPassedToTaskRun_NoDiagnostic() =>
        VerifyInHookAsync("var text = await Task.Run(() => File.ReadAllText(\"a\")); await Task.Factory.StartNew(() => Thread.Sleep(1)); new Thread(() => Thread.Sleep(1)).Start();");

    [Fact]
    public Task Analyze_MonitorEnterWithoutAwait_NoDiagnostic() =>
        VerifyInHookAsync("await Task.Yield(); Monitor.Enter(_sync); try { } finally { Monitor.Exit(_sync); }");

    [Fact]
    public Task Analyze_PlainLock_NoDiagnostic() =>
        VerifyInHookAsync("lock (_sync) { _count++; }", "private int _count;");

    [Fact]
    public Task Analyze_InMemoryStreamsAndCancel_NoDiagnostic() =>
        VerifyInHookAsync("using var m = new MemoryStream(); m.Write(new byte[1], 0, 1); using var w = new StringWriter(); w.Write(\"x\"); using var cts = new CancellationTokenSource(); cts.Cancel();");

    [Fact]
    public Task Analyze_AwaitedAsyncForms_NoDiagnostic() =>
        VerifyInHookAsync("await SleepAsync(TimeSpan.FromSeconds(1)); var s = await File.ReadAllTextAsync(\"a\", cancellationToken); await _gate.WaitAsync(cancellationToken); _gate.Release();");

    [Fact]
    public Task Analyze_SyncMethodWithoutCompatibleTwin_NoDiagnostic() =>
        VerifyInHookAsync("Log(1); Console.WriteLine(\"hello\"); var span = new Span<byte>(new byte[1]);", """
            private void Log(int level) { }
            private Task LogAsync(string message) => Task.CompletedTask;
            """);
}
