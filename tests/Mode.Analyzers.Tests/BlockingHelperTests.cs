using Mode.Analyzers.CodeFixes;
using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

/// <summary>MODE002 follows a hook's calls into synchronous helpers of the same compilation.</summary>
public class BlockingHelperTests
{
    private const string Id = DiagnosticIds.BlockingCallInAsyncHook;

    private const string Store = """
        public class Store
        {
            public string Load() => File.ReadAllText("store.json");
            public string LoadTwice() => Load() + Load();
            public int Count() => Items().Count;
            private List<int> Items() => [1, 2, 3];
        }
        """;

    [Fact]
    public Task Analyze_HelperThatBlocks_ReportsAtCallNamingChain() =>
        ModeAnalyzerTest.VerifyAsync(
            Store + """

            public partial class Cache : Service
            {
                private readonly Store _store = new();

                protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    var text = {|#0:_store.Load()|};
                    await Task.Yield();
                }
            }
            """,
            ModeAnalyzerTest.Diagnostic(Id).WithLocation(0).WithMessage(
                "'Store.Load' blocks a thread in 'Cache.OnStartAsync' (it calls 'File.ReadAllText'); make it asynchronous and await it, or move the call into Task.Run"));

    [Fact]
    public Task Analyze_ThreeLevelsDown_NamesEveryStep() =>
        ModeAnalyzerTest.VerifyAsync(
            """
            public static class Disk
            {
                public static void Save() => Write();
                private static void Write() => Flush(0);
                private static void Flush(int attempt) => Thread.Sleep(10 * attempt);
            }

            public partial class App : Service
            {
                [Task] private async Task RunAsync()
                {
                    {|#0:Disk.Save()|};
                    await Task.Yield();
                }
            }
            """,
            ModeAnalyzerTest.Diagnostic(Id).WithLocation(0).WithArguments(
                "Disk.Save", "App.RunAsync", " (it calls 'Disk.Write', which calls 'Disk.Flush', which calls 'Thread.Sleep')", "make it asynchronous and await it, or move the call into Task.Run"));

    [Fact]
    public Task Analyze_FiveLevelsDown_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                private static void L1() => L2();
                private static void L2() => L3();
                private static void L3() => L4();
                private static void L4() => L5();
                private static void L5() { using var e = new ManualResetEventSlim(); e.Wait(); }

                [Timer(1)] private void Tick() => [|L1()|];
            }
            """);

    [Fact]
    public Task Analyze_MutualRecursionReachingABlockingCall_ReportsAndTerminates() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public class Walker
            {
                public int Even(int n) => n == 0 ? Read() : Odd(n - 1);
                public int Odd(int n) => n == 0 ? 0 : Even(n - 1);
                private int Read() => Console.Read();
            }

            public partial class App : Service
            {
                private readonly Walker _walker = new();

                protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
                {
                    var a = [|_walker.Odd(3)|];
                    var b = [|_walker.Even(3)|];
                    return default;
                }
            }
            """);

    [Fact]
    public Task Analyze_InLambdaInsideHook_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, Store + HookSource.InStartAsync(
            "Func<string> load = () => [|_store.Load()|]; var text = load();",
            "private readonly Store _store = new();"));

    // Near misses.

    [Fact]
    public Task Analyze_HelpersThatDoNotBlock_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, Store + HookSource.InStartAsync(
            "var n = _store.Count(); var s = Describe(n);",
            "private readonly Store _store = new(); private static string Describe(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);"));

    [Fact]
    public Task Analyze_RecursionWithoutBlockingCall_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, HookSource.InStartAsync(
            "var f = Fib(10) + Ping(3);",
            "private static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2); private static int Ping(int n) => n == 0 ? 0 : Pong(n - 1); private static int Pong(int n) => Ping(n);"));

    [Fact]
    public Task Analyze_HelperCalledInsideTaskRun_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, Store + HookSource.InStartAsync(
            "var text = await Task.Run(() => _store.Load());",
            "private readonly Store _store = new();"));

    [Fact]
    public Task Analyze_HelperWhoseBlockingCallIsInALambdaItReturns_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, HookSource.InStartAsync(
            "var later = MakeLoader(); await Task.Run(later);",
            "private static Func<string> MakeLoader() => () => File.ReadAllText(\"a\");"));

    [Fact]
    public Task Analyze_HelperThatOnlyPolls_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, HookSource.InStartAsync(
            "var free = TryEnter();",
            "private readonly SemaphoreSlim _gate = new(1); private bool TryEnter() => _gate.Wait(0);"));

    [Fact]
    public Task Analyze_AsyncHelperAwaited_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, HookSource.InStartAsync(
            "await LoadAsync();",
            "private static async Task LoadAsync() { await Task.Yield(); }"));

    // The code fix: the helper's async twin, or nothing.

    private const string LoadAndTwin = """
        private static string Load() => File.ReadAllText("a");
        private static Task<string> LoadAsync(CancellationToken cancellationToken) => File.ReadAllTextAsync("a", cancellationToken);
        """;

    [Fact]
    public Task Fix_HelperWithAsyncTwin_AwaitsTwin() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            HookSource.InStartAsync("var text = [|Load()|];", LoadAndTwin),
            HookSource.InStartAsync("var text = await LoadAsync(cancellationToken);", LoadAndTwin));

    [Fact]
    public Task Fix_HelperWithoutAsyncTwin_NotOffered() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyNoFixAsync(Id, Store + HookSource.InStartAsync(
            "var text = [|_store.Load()|];",
            "private readonly Store _store = new();"));
}
