# Generates Corpus.cs: one service per case, each case's code inside a hook (issue 14 extended it with
# cases of helpers, the catalog, forms that cannot block and async lambdas). Run from an empty folder.
cases = [
 ("Thread.Sleep in async OnStartAsync", "async", "Thread.Sleep(100);"),
 ("Thread.Sleep in non-async OnStartAsync (returns default)", "sync", "Thread.Sleep(100);"),
 ("task.Wait()", "async", "var t = Task.Delay(1); t.Wait();"),
 ("task.Result", "async", "var n = Task.Run(() => 1).Result;"),
 ("GetAwaiter().GetResult()", "async", "Task.Delay(1).GetAwaiter().GetResult();"),
 ("ValueTask<bool>.Result (SleepAsync(1).Result)", "async", "var b = SleepAsync(1.0).Result;"),
 ("Task.WaitAll(a, b)", "async", "Task.WaitAll(Task.Delay(1), Task.Delay(2));"),
 ("Task.WaitAny(a, b)", "async", "var i = Task.WaitAny(Task.Delay(1), Task.Delay(2));"),
 ("SemaphoreSlim.Wait()", "async", "using var s = new SemaphoreSlim(1); s.Wait(); s.Release();"),
 ("WaitHandle.WaitOne()", "async", "using var e = new ManualResetEvent(true); e.WaitOne();"),
 ("ManualResetEventSlim.Wait()", "async", "using var e = new ManualResetEventSlim(true); e.Wait();"),
 ("Thread.Join()", "async", "var th = new Thread(() => { }); th.Start(); th.Join();"),
 ("Process.WaitForExit()", "async", "using var p = System.Diagnostics.Process.GetCurrentProcess(); p.WaitForExit(1);  p.WaitForExit();"),
 ("Console.ReadLine()", "async", "var line = Console.ReadLine();"),
 ("File.ReadAllText", "async", "var text = File.ReadAllText(\"a.txt\");"),
 ("Stream.Read(byte[], int, int)", "async", "using var f = File.OpenRead(\"a\"); var buf = new byte[8]; var n = f.Read(buf, 0, 8);"),
 ("StreamReader.ReadToEnd()", "async", "using var r = new StreamReader(\"a\"); var all = r.ReadToEnd();"),
 ("HttpClient.Send", "async", "using var h = new System.Net.Http.HttpClient(); using var resp = h.Send(new System.Net.Http.HttpRequestMessage());"),
 ("own Flush() with FlushAsync(CancellationToken) twin", "async", "Flush();", "private void Flush() { } private Task FlushAsync(CancellationToken ct) => Task.CompletedTask;"),
 ("Monitor.Enter ... await ... Monitor.Exit", "async", "Monitor.Enter(_o); try { await Task.Delay(1); } finally { Monitor.Exit(_o); }", "private readonly object _o = new();"),
 ("lock { Thread.Sleep }", "async", "lock (_o) { Thread.Sleep(1); }", "private readonly object _o = new();"),
 ("Thread.Sleep in async lambda inside hook", "async", "Func<Task> f = async () => { Thread.Sleep(1); await Task.Yield(); }; await f();"),
 ("task.Result in local function inside hook", "async", "int Get() => Task.Run(() => 1).Result; var n = Get();"),
 ("Thread.Sleep in [Task] method", "task", "Thread.Sleep(1000);"),
 ("File.WriteAllText in sync [Timer] void method", "timer", "File.WriteAllText(\"t\", \"x\");"),
 ("t.Result after await t (near miss)", "async", "var t = Task.Run(() => 1); await t; var n = t.Result;"),
 ("a.Result after await Task.WhenAll(a, b) (near miss)", "async", "var a = Task.Run(() => 1); var b = Task.Run(() => 2); await Task.WhenAll(a, b); var n = a.Result + b.Result;"),
 ("t.Result guarded by if (t.IsCompleted) (near miss)", "async", "var t = Task.Run(() => 1); if (t.IsCompleted) { var n = t.Result; }"),
 ("Task.FromResult(1).Result (near miss)", "async", "var n = Task.FromResult(1).Result;"),
 ("t.Result before await t", "async", "var t = Task.Run(() => 1); var n = t.Result; await t;"),
 ("File.ReadAllText inside Task.Run lambda (near miss)", "async", "var text = await Task.Run(() => File.ReadAllText(\"a\"));"),
 ("Thread.Sleep in sync non-hook helper (near miss)", "helper", "Thread.Sleep(1);"),
 ("MemoryStream.Write (near miss)", "async", "using var m = new MemoryStream(); m.Write(new byte[1], 0, 1);"),
 ("CancellationTokenSource.Cancel() (near miss)", "async", "using var c = new CancellationTokenSource(); c.Cancel();"),
 ("stream.Dispose() where DisposeAsync exists", "async", "var f = File.OpenRead(\"a\"); f.Dispose();"),
 # Issue 14, item 1: blocking through synchronous helpers.
 ("helper calling File.ReadAllText (1 level)", "async", "var s = Load();", "private static string Load() => File.ReadAllText(\"a\");"),
 ("helper chain, 3 levels to Thread.Sleep", "async", "Save();", "private static void Save() => Write(); private static void Write() => Flush(); private static void Flush() => Thread.Sleep(10);"),
 ("mutually recursive helpers reaching Console.Read", "async", "var n = Odd(3);", "private static int Even(int n) => n == 0 ? Console.Read() : Odd(n - 1); private static int Odd(int n) => n == 0 ? 0 : Even(n - 1);"),
 ("helper calling task.Result", "async", "var n = Count();", "private static int Count() => Task.Run(() => 1).Result;"),
 ("helper that only computes (near miss)", "async", "var n = Twice(2);", "private static int Twice(int n) => n * 2;"),
 ("blocking helper inside Task.Run (near miss)", "async", "var s = await Task.Run(() => Load());", "private static string Load() => File.ReadAllText(\"a\");"),
 # Item 2: the catalog.
 ("BlockingCollection.Take", "async", "var item = _queue.Take();", "private readonly System.Collections.Concurrent.BlockingCollection<int> _queue = new();"),
 ("BlockingCollection.TryTake with a timeout", "async", "_queue.TryTake(out var item, 100);", "private readonly System.Collections.Concurrent.BlockingCollection<int> _queue = new();"),
 ("BlockingCollection.TryTake without timeout (near miss)", "async", "_queue.TryTake(out var item);", "private readonly System.Collections.Concurrent.BlockingCollection<int> _queue = new();"),
 ("Socket.Receive", "async", "var n = _socket.Receive(new byte[8]);", "private readonly System.Net.Sockets.Socket _socket = new(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);"),
 ("NetworkStream.Read(Span<byte>)", "async", "var n = _stream.Read(new byte[8].AsSpan());", "private readonly System.Net.Sockets.NetworkStream _stream = new(new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp));"),
 ("SpinWait.SpinUntil", "async", "SpinWait.SpinUntil(() => _ready);", "private volatile bool _ready;"),
 ("busy loop on Thread.SpinWait", "async", "while (!_ready) { Thread.SpinWait(100); }", "private volatile bool _ready;"),
 ("Dns.GetHostEntry", "async", "var e = System.Net.Dns.GetHostEntry(\"localhost\");"),
 ("Console.ReadKey", "async", "var k = Console.ReadKey();"),
 ("WaitHandle.WaitAll", "async", "WaitHandle.WaitAll([_e]);", "private readonly ManualResetEvent _e = new(false);"),
 ("using (no await) of a StreamWriter", "async", "using var w = new StreamWriter(\"a\"); w.Write(1);"),
 # Item 3: forms that cannot block.
 ("task.Wait(0) (near miss)", "async", "var t = Task.Delay(1); var done = t.Wait(0);"),
 ("WaitOne(0) (near miss)", "async", "var done = _e.WaitOne(0);", "private readonly ManualResetEvent _e = new(false);"),
 ("SemaphoreSlim.Wait(TimeSpan.Zero) (near miss)", "async", "using var s = new SemaphoreSlim(1); var ok = s.Wait(TimeSpan.Zero);"),
 ("antecedent.Result in ContinueWith (near miss)", "async", "var t = Task.Run(() => 1); var n = await t.ContinueWith(p => p.Result + 1);"),
 ("Task.FromResult stored in a local, then .Result (near miss)", "async", "var t = Task.FromResult(1); var n = t.Result;"),
 ("GetResult() after await Task.WhenAll (near miss)", "async", "var a = Task.Run(() => 1); await Task.WhenAll(a); var n = a.GetAwaiter().GetResult();"),
 ("task.Wait(100)", "async", "var t = Task.Delay(1); var done = t.Wait(100);"),
 # Item 4: async lambdas converted to void-returning delegates.
 ("async lambda as Action", "async", "Action a = async () => await Task.Yield(); a();"),
 ("List.ForEach with an async lambda", "async", "new List<int> { 1 }.ForEach(async n => await Task.Delay(n));"),
 ("async lambda subscribed to an event", "async", "_w.Changed += async (s, e) => await Task.Yield();", "private readonly FileSystemWatcher _w = new(\".\");"),
 ("async lambda as a Timer callback", "async", "_t = new Timer(async _ => await Task.Yield(), null, 0, 1000);", "private Timer? _t;"),
 ("async lambda as Func<Task> (near miss)", "async", "Func<Task> f = async () => await Task.Yield(); await f();"),
]
out = ["// Generated by gen.py: the MODE002 / VSTHRD comparison corpus. One service per case.",
       "using Mode;", "namespace Corpus;", ""]
for i, c in enumerate(cases, 1):
    desc, kind, body = c[0], c[1], c[2]
    members = c[3] if len(c) > 3 else ""
    out.append(f"// CASE {i:02d}: {desc}")
    out.append(f"public partial class Case{i:02d} : Service")
    out.append("{")
    if members: out.append("    " + members)
    if kind == "async":
        out.append("    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)")
        out.append("    {"); out.append("        " + body); out.append("        await Task.Yield();"); out.append("    }")
    elif kind == "sync":
        out.append("    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)")
        out.append("    {"); out.append("        " + body); out.append("        return default;"); out.append("    }")
    elif kind == "task":
        out.append("    [Task] private async Task RunAsync(CancellationToken cancellationToken)")
        out.append("    {"); out.append("        " + body); out.append("        await Task.Yield();"); out.append("    }")
    elif kind == "timer":
        out.append("    [Timer(5)] private void Tick()")
        out.append("    {"); out.append("        " + body); out.append("    }")
    elif kind == "helper":
        out.append("    public void Helper()")
        out.append("    {"); out.append("        " + body); out.append("    }")
    out.append("}"); out.append("")
open("Corpus.cs", "w").write("\n".join(out))
# Whether each case blocks (or runs async void): every case but the near misses.
import json; json.dump([[c[0], "near miss" not in c[0]] for c in cases], open("cases.json", "w"))
