using Mode.Analyzers.CodeFixes;
using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

/// <summary>The rows of MODE002's catalog of blocking APIs, each with a near miss, and the users' own entries.</summary>
public class BlockingApiCatalogTests
{
    private const string Id = DiagnosticIds.BlockingCallInAsyncHook;

    private static Task VerifyInHookAsync(string body, string members = "") =>
        ModeAnalyzerTest.VerifyAsync(Id, "using System.Collections.Concurrent;\nusing System.Net;\nusing System.Net.Sockets;\n" + HookSource.InStartAsync(body, members));

    [Fact]
    public Task Analyze_BlockingCollectionWaits_Reports() =>
        VerifyInHookAsync(
            "var item = [|_queue.Take()|]; [|_queue.Add(1)|]; [|_queue.TryTake(out item, 100)|]; [|_queue.TryAdd(2, TimeSpan.FromSeconds(1))|]; foreach (var x in [|_queue.GetConsumingEnumerable()|]) { }",
            "private readonly BlockingCollection<int> _queue = new();");

    [Fact]
    public Task Analyze_BlockingCollectionWithoutTimeoutOrZero_NoDiagnostic() =>
        VerifyInHookAsync(
            "_queue.TryTake(out var item); _queue.TryAdd(1); _queue.TryTake(out item, 0); _queue.TryAdd(2, TimeSpan.Zero); var n = _queue.Count;",
            "private readonly BlockingCollection<int> _queue = new();");

    [Fact]
    public Task Analyze_SocketSynchronousCalls_Report() =>
        VerifyInHookAsync(
            "var buffer = new byte[16]; [|_socket.Connect(new IPEndPoint(IPAddress.Loopback, 80))|]; [|_socket.Send(buffer)|]; var n = [|_socket.Receive(buffer)|]; using var peer = [|_socket.Accept()|];",
            "private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);");

    [Fact]
    public Task Analyze_NetworkStreamSpanReadAndWrite_Report() =>
        VerifyInHookAsync(
            "Span<byte> buffer = stackalloc byte[16]; var n = [|_stream.Read(buffer)|]; [|_stream.Write(buffer)|];",
            "private readonly NetworkStream _stream = new(new Socket(SocketType.Stream, ProtocolType.Tcp));");

    [Fact]
    public Task Analyze_SocketAwaitableCalls_NoDiagnostic() =>
        VerifyInHookAsync(
            "var buffer = new byte[16]; await _socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 80), cancellationToken); await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken); var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken); var ok = _socket.Poll(0, SelectMode.SelectRead);",
            "private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);");

    [Fact]
    public Task Analyze_SpinWaits_Report() =>
        VerifyInHookAsync(
            "[|SpinWait.SpinUntil(() => _ready)|]; [|Thread.SpinWait(1000)|]; var spinner = new SpinWait(); while (!_ready) { [|spinner.SpinOnce()|]; }",
            "private volatile bool _ready;");

    [Fact]
    public Task Analyze_SingleSpinOnceOrZeroTimeoutSpinUntil_NoDiagnostic() =>
        VerifyInHookAsync(
            "var spinner = new SpinWait(); spinner.SpinOnce(); var done = SpinWait.SpinUntil(() => _ready, 0);",
            "private volatile bool _ready;");

    [Fact]
    public Task Analyze_DnsSynchronousLookups_Report() =>
        VerifyInHookAsync("var entry = [|Dns.GetHostEntry(\"localhost\")|]; var addresses = [|Dns.GetHostAddresses(\"localhost\")|];");

    [Fact]
    public Task Analyze_ConsoleReadAndReadKey_Report() =>
        VerifyInHookAsync("var c = [|Console.Read()|]; var key = [|Console.ReadKey()|];");

    [Fact]
    public Task Analyze_ProcessWaitForExitWithTimeout_Reports() =>
        VerifyInHookAsync("using var p = System.Diagnostics.Process.GetCurrentProcess(); var exited = [|p.WaitForExit(1000)|]; exited = p.WaitForExit(0);");

    [Fact]
    public Task Analyze_WaitHandleStatics_Report() =>
        VerifyInHookAsync(
            "WaitHandle[] both = [_a, _b]; [|WaitHandle.WaitAll(both)|]; var i = [|WaitHandle.WaitAny(both)|]; [|WaitHandle.SignalAndWait(_a, _b)|];",
            "private readonly ManualResetEvent _a = new(false); private readonly AutoResetEvent _b = new(false);");

    [Fact]
    public Task Analyze_SyncDisposeOfAsyncDisposable_Reports() =>
        VerifyInHookAsync("var f = File.OpenRead(\"a\"); [|f.Dispose()|]; [|using|] var w = new StreamWriter(\"b\"); [|using|] (var s = File.OpenWrite(\"c\")) { }");

    [Fact]
    public Task Analyze_AwaitUsingAndDisposablesThatDoNotBlock_NoDiagnostic() =>
        VerifyInHookAsync(
            "await using var f = File.OpenRead(\"a\"); using var m = new MemoryStream(); using var timer = new Timer(_ => { }); using var registration = cancellationToken.Register(() => { }); using var gate = new SemaphoreSlim(1); using var reader = new StreamReader(\"b\"); m.Dispose();");

    [Fact]
    public Task Fix_SyncDispose_AwaitsDisposeAsync() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            HookSource.InStartAsync("var f = File.OpenRead(\"a\");\n        [|f.Dispose()|];"),
            HookSource.InStartAsync("var f = File.OpenRead(\"a\");\n        await f.DisposeAsync();"));

    [Fact]
    public Task Fix_UsingDeclarationAndStatement_AwaitUsing() =>
        ModeCodeFixTest<BlockingCallCodeFix>.VerifyAsync(
            Id,
            HookSource.InStartAsync("[|using|] var w = new StreamWriter(\"b\");\n        [|using|] (var s = File.OpenWrite(\"c\"))\n        {\n        }"),
            HookSource.InStartAsync("await using var w = new StreamWriter(\"b\");\n        await using (var s = File.OpenWrite(\"c\"))\n        {\n        }"));

    // mode_blocking_apis in .editorconfig.

    private const string Legacy = """
        namespace Legacy
        {
            public class Db
            {
                public int Query(string sql) => 0;
                public int Query(string sql, int timeout) => 0;
                public void Save() { }
                public void Save(int retries) { }
                public int Count => 0;
                public void Ping() { }
            }

            public class Mainframe
            {
                public string Fetch() => "";
                public static void Reset() { }
            }
        }
        """;

    private static Task VerifyWithUserApisAsync(string userApis, string body, string members = "")
    {
        var test = new ModeAnalyzerTest(Id);
        test.TestState.Sources.Add(Legacy);
        test.TestState.Sources.Add(HookSource.InStartAsync(body, "private readonly Legacy.Db _db = new(); private readonly Legacy.Mainframe _host = new(); " + members));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", $"root = true\n\n[*.cs]\nmode_blocking_apis = {userApis}\n"));
        return test.RunAsync();
    }

    [Fact]
    public Task Analyze_UserListedApis_Report() =>
        VerifyWithUserApisAsync(
            "M:Legacy.Db.Query(System.String), M:Legacy.Db.Save P:Legacy.Db.Count,T:Legacy.Mainframe",
            "var n = [|_db.Query(\"x\")|] + [|_db.Count|]; [|_db.Save()|]; [|_db.Save(3)|]; var s = [|_host.Fetch()|]; [|Legacy.Mainframe.Reset()|];");

    [Fact]
    public Task Analyze_UserListedOverloadOnly_OtherOverloadsAndMembersNotReported() =>
        VerifyWithUserApisAsync(
            "M:Legacy.Db.Query(System.String) M:No.Such.Member",
            "var n = _db.Query(\"x\", 5) + _db.Count; _db.Save(); _db.Ping(); var other = [|_db.Query(\"y\")|];");

    [Fact]
    public Task Analyze_UserListedHelperCalledThroughSourceHelper_Reports() =>
        VerifyWithUserApisAsync(
            "M:Legacy.Db.Ping",
            "[|Check()|];",
            "private void Check() => _db.Ping();");
}
