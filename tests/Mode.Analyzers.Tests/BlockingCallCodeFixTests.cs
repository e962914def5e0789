using Mode.Analyzers.CodeFixes;
using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

public class BlockingCallCodeFixTests
{
    private const string Id = DiagnosticIds.BlockingCallInAsyncHook;

    private static string InHook(string body, string members = "") => $$"""
        public partial class App : Service
        {
            {{members}}
            protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
            {
                {{body}}
            }
        }
        """;

    [Fact]
    public Task Fix_ThreadSleepMillisecondsInService_AwaitsSleepAsync() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("[|Thread.Sleep(100)|];"),
            InHook("await SleepAsync(TimeSpan.FromMilliseconds(100));"));

    [Fact]
    public Task Fix_ThreadSleepTimeSpanInService_AwaitsSleepAsync() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("var delay = TimeSpan.FromSeconds(1);\n        [|Thread.Sleep(delay)|];"),
            InHook("var delay = TimeSpan.FromSeconds(1);\n        await SleepAsync(delay);"));

    [Fact]
    public Task Fix_ThreadSleepInStaticLambda_AwaitsTaskDelayWithToken() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("Func<CancellationToken, Task> pause = static async token => { [|Thread.Sleep(5)|]; await Task.Yield(); };\n        await pause(cancellationToken);"),
            InHook("Func<CancellationToken, Task> pause = static async token => { await Task.Delay(5, token); await Task.Yield(); };\n        await pause(cancellationToken);"));

    [Fact]
    public Task Fix_TaskResultInExpression_AwaitsWithParentheses() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("var length = [|Task.Run(() => \"abc\").Result|].Length;"),
            InHook("var length = (await Task.Run(() => \"abc\")).Length;"));

    [Fact]
    public Task Fix_TaskResultAsInitializer_AwaitsWithoutParentheses() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("var t = Task.Run(() => 1);\n        var n = [|t.Result|];"),
            InHook("var t = Task.Run(() => 1);\n        var n = await t;"));

    [Fact]
    public Task Fix_TaskWait_Awaits() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("var t = Task.Delay(1);\n        [|t.Wait()|];"),
            InHook("var t = Task.Delay(1);\n        await t;"));

    [Fact]
    public Task Fix_TaskWaitWithToken_AwaitsWaitAsync() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("var t = Task.Delay(1);\n        [|t.Wait(cancellationToken)|];"),
            InHook("var t = Task.Delay(1);\n        await t.WaitAsync(cancellationToken);"));

    [Fact]
    public Task Fix_GetAwaiterGetResult_AwaitsKeepingConfigureAwait() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("[|Task.Delay(1).ConfigureAwait(false).GetAwaiter().GetResult()|];"),
            InHook("await Task.Delay(1).ConfigureAwait(false);"));

    [Fact]
    public Task Fix_WaitAllStatement_AwaitsWhenAll() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("var a = Task.Delay(1);\n        [|Task.WaitAll(a, Task.Delay(2))|];"),
            InHook("var a = Task.Delay(1);\n        await Task.WhenAll(a, Task.Delay(2));"));

    [Fact]
    public Task Fix_FileReadAllText_AwaitsTwinWithHookToken() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("var text = [|File.ReadAllText(\"a.txt\")|];"),
            InHook("var text = await File.ReadAllTextAsync(\"a.txt\", cancellationToken);"));

    [Fact]
    public Task Fix_StreamReaderReadToEnd_AwaitsTwinWithToken() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("using var reader = new StreamReader(\"a\");\n        var all = [|reader.ReadToEnd()|];"),
            InHook("using var reader = new StreamReader(\"a\");\n        var all = await reader.ReadToEndAsync(cancellationToken);"));

    [Fact]
    public Task Fix_SemaphoreWait_AwaitsWaitAsyncWithToken() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("[|_gate.Wait()|];\n        _gate.Release();", "private readonly SemaphoreSlim _gate = new(1);"),
            InHook("await _gate.WaitAsync(cancellationToken);\n        _gate.Release();", "private readonly SemaphoreSlim _gate = new(1);"));

    [Fact]
    public Task Fix_TwinInTaskMethodWithoutToken_AwaitsTwinWithoutToken() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Task] private async Task RunAsync()
                {
                    [|using|] var stream = File.OpenRead("a");
                    var buffer = new byte[16];
                    var read = [|stream.Read(buffer, 0, buffer.Length)|];
                }
            }
            """, """
            public partial class App : Service
            {
                [Task] private async Task RunAsync()
                {
                    await using var stream = File.OpenRead("a");
                    var buffer = new byte[16];
                    var read = await stream.ReadAsync(buffer, 0, buffer.Length);
                }
            }
            """);

    [Fact]
    public Task FixAll_SeveralKindsInOneHook_AwaitsEach() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            InHook("""
                [|Thread.Sleep(10)|];
                    var text = [|File.ReadAllText("a")|];
                    var n = [|Task.Run(() => 1).Result|] + [|Task.Run(() => 2).GetAwaiter().GetResult()|];
                """),
            InHook("""
                await SleepAsync(TimeSpan.FromMilliseconds(10));
                    var text = await File.ReadAllTextAsync("a", cancellationToken);
                    var n = await Task.Run(() => 1) + await Task.Run(() => 2);
                """));

    [Fact]
    public Task FixAll_TwoHooks_AwaitsInBoth() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    [|Thread.Sleep(1)|];
                }

                protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
                {
                    [|Thread.Sleep(2)|];
                }
            }
            """, """
            public partial class App : Service
            {
                protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    await SleepAsync(TimeSpan.FromMilliseconds(1));
                }

                protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
                {
                    await SleepAsync(TimeSpan.FromMilliseconds(2));
                }
            }
            """);

    [Fact]
    public Task Fix_InNonAsyncHookReturningDefault_MakesHookAsync() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    [|Thread.Sleep(1)|];
                    return default;
                }
            }
            """, """
            public partial class App : Service
            {
                protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    await SleepAsync(TimeSpan.FromMilliseconds(1));
                }
            }
            """);

    [Fact]
    public Task FixAll_TwoCallsInNonAsyncHookWithEarlyReturn_MakesHookAsyncOnce() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
                {
                    if (!File.Exists("state"))
                    {
                        return ValueTask.CompletedTask;
                    }

                    var state = [|File.ReadAllText("state")|];
                    [|File.WriteAllText("state.bak", state)|];
                    return default;
                }
            }
            """, """
            public partial class App : Service
            {
                protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
                {
                    if (!File.Exists("state"))
                    {
                        return;
                    }

                    var state = await File.ReadAllTextAsync("state", cancellationToken);
                    await File.WriteAllTextAsync("state.bak", state, cancellationToken);
                }
            }
            """);

    [Fact]
    public Task Fix_InSyncVoidTimer_MakesTimerAsyncTask() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer(5)] private void Tick() => [|File.WriteAllText("tick.txt", "tick")|];
            }
            """, """
            public partial class App : Service
            {
                [Timer(5)] private async Task Tick() => await File.WriteAllTextAsync("tick.txt", "tick");
            }
            """);

    [Fact]
    public Task Fix_InNonAsyncTaskMethodReturningCompletedTask_MakesItAsync() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Task]
                private Task RunAsync(CancellationToken cancellationToken)
                {
                    var n = [|Task.Run(() => 1).Result|];
                    return Task.CompletedTask;
                }
            }
            """, """
            public partial class App : Service
            {
                [Task]
                private async Task RunAsync(CancellationToken cancellationToken)
                {
                    var n = await Task.Run(() => 1);
                }
            }
            """);

    [Fact]
    public Task Fix_NonAsyncHookReturningRealTask_NotOffered() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyNoFixAsync(Id, """
            public partial class App : Service
            {
                protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    [|Thread.Sleep(1)|];
                    return new ValueTask(Task.Delay(1, cancellationToken));
                }
            }
            """);

    [Fact]
    public Task Fix_InSyncVoidLocalFunction_NotOffered() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyNoFixAsync(Id, InHook("void Pause() => [|Thread.Sleep(1)|];\n        Pause();\n        await Task.Yield();"));

    [Fact]
    public Task Fix_InsideLock_NotOffered() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyNoFixAsync(Id, InHook("lock (_sync) { [|Thread.Sleep(1)|]; }\n        await Task.Yield();", "private readonly object _sync = new();"));

    [Fact]
    public Task Fix_WaitWithTimeoutAndWaitAny_NotOffered() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyNoFixAsync(Id, InHook("var t = Task.Delay(1);\n        var done = [|t.Wait(10)|];\n        var i = [|Task.WaitAny(t)|];\n        await Task.Yield();"));
}
