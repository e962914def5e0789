// MODE002/MODE007 realistic-hooks corpus: a test data set, not compiled into the tests
// (RealisticHooksCorpusTests compiles it with Mode.Runtime and runs the analyzers).
// Every service is one case, announced by the comment line before it:
//   "// CASE blocking <kind>: ..." — some hook blocks a thread (or runs async void); a Mode
//                                    diagnostic inside the class counts as found;
//   "// CASE clean <kind>: ..."    — nothing blocks; any Mode diagnostic inside is a false alarm.
// Kinds: direct (blocking call in the hook), helper (inside a synchronous helper the hook calls),
// catalog (APIs added to the catalog: concurrent collections, sockets, spin waits, DNS,
// sync Dispose), async-void-lambda (async lambda converted to a void delegate), zero-timeout,
// completed-task, plain (clean code of other shapes).
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;

namespace Corpus;

public sealed record Settings(string Name, int Port);

public static class SettingsFile
{
    public static Settings Read(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!;

    public static Settings ReadOrDefault(string path) => File.Exists(path) ? Read(path) : new Settings("default", 80);

    public static string Describe(Settings settings) => $"{settings.Name}:{settings.Port}";
}

public sealed class Repository
{
    private readonly Dictionary<string, string> _rows = [];
    private readonly object _sync = new();

    public string? Find(string key)
    {
        lock (_sync)
        {
            return _rows.GetValueOrDefault(key);
        }
    }

    public void SaveAll(string path) => WriteLines(path, _rows.Select(r => r.Key + "=" + r.Value));

    private static void WriteLines(string path, IEnumerable<string> lines) => File.WriteAllLines(path, lines);

    public void WaitForLock(SemaphoreSlim gate) => gate.Wait();

    public Task<int> CountAsync() => Task.FromResult(_rows.Count);

    public int Count() => CountAsync().Result;
}

public static class Retry
{
    public static void Pause(int attempt) => Thread.Sleep(100 * attempt);

    public static T Run<T>(Func<T> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return action();
            }
            catch (IOException) when (attempt < 3)
            {
                Pause(attempt);
            }
        }
    }
}

public static class Shell
{
    public static int Run(string file)
    {
        using var process = Process.Start(file);
        process.WaitForExit();
        return process.ExitCode;
    }
}

// CASE blocking direct: Thread.Sleep before connecting
public partial class Connector : Service
{
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Thread.Sleep(500);
        await Task.Yield();
    }
}

// CASE blocking direct: reads its configuration synchronously
public partial class ConfigLoader : Service
{
    private string _json = "";

    protected override async ValueTask OnFirstStartAsync(CancellationToken cancellationToken)
    {
        _json = File.ReadAllText("appsettings.json");
        await Task.Yield();
    }
}

// CASE blocking direct: .Result on an HTTP call
public partial class TokenFetcher : Service
{
    private readonly HttpClient _http = new();

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var token = _http.GetStringAsync("http://localhost/token", cancellationToken).Result;
        return default;
    }
}

// CASE blocking direct: Wait() on a warm-up task
public partial class Warmer : Service
{
    protected override ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        Task.Delay(100, cancellationToken).Wait(cancellationToken);
        return default;
    }
}

// CASE blocking direct: GetAwaiter().GetResult() in a timer
public partial class Heartbeat : Service
{
    private readonly HttpClient _http = new();

    [Timer(5)]
    private void Beat() => _http.GetAsync("http://localhost/health").GetAwaiter().GetResult();
}

// CASE blocking direct: SemaphoreSlim.Wait in a task
public partial class Throttled : Service
{
    private readonly SemaphoreSlim _gate = new(4);

    [Task]
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        _gate.Wait(cancellationToken);
        try
        {
            await Task.Delay(10, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}

// CASE blocking direct: HttpClient.Send
public partial class Pinger : Service
{
    private readonly HttpClient _http = new();

    [Timer(30)]
    private ValueTask PingAsync()
    {
        using var response = _http.Send(new HttpRequestMessage(HttpMethod.Head, "http://localhost/"));
        return default;
    }
}

// CASE blocking direct: StreamReader.ReadToEnd of a file
public partial class TemplateCache : Service
{
    private string _template = "";

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        using var reader = new StreamReader("template.html");
        _template = reader.ReadToEnd();
        await Task.Yield();
    }
}

// CASE blocking direct: waits for a child process on stop
public partial class Sidecar : Service
{
    private Process? _process;

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        _process?.Kill();
        _process?.WaitForExit();
        return default;
    }
}

// CASE blocking direct: Console.ReadLine in a task
public partial class Repl : Service
{
    [Task]
    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var line = Console.ReadLine();
            await Task.Yield();
        }
    }
}

// CASE blocking direct: Task.WaitAll of two loads
public partial class Preloader : Service
{
    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Task.WaitAll(Task.Delay(10, cancellationToken), Task.Delay(20, cancellationToken));
        return default;
    }
}

// CASE blocking direct: WaitHandle.WaitOne for a signal
public partial class SignalWaiter : Service
{
    private readonly AutoResetEvent _signal = new(false);

    [Task]
    private async Task ListenAsync()
    {
        _signal.WaitOne();
        await Task.Yield();
    }
}

// CASE blocking direct: Thread.Join on stop
public partial class LegacyThread : Service
{
    private readonly Thread _thread = new(() => { });

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        _thread.Join();
        return default;
    }
}

// CASE blocking direct: Monitor held across an await
public partial class Ledger : Service
{
    private readonly object _sync = new();

    [Timer(1)]
    private async Task FlushAsync()
    {
        Monitor.Enter(_sync);
        try
        {
            await Task.Delay(1);
        }
        finally
        {
            Monitor.Exit(_sync);
        }
    }
}

// CASE blocking direct: File.AppendAllText in a sync timer
public partial class AuditLog : Service
{
    [Timer(1)]
    private void Append() => File.AppendAllText("audit.log", DateTime.UtcNow + "\n");
}

// CASE blocking direct: Stream.Read in a crontab job
public partial class Checksum : Service
{
    [Crontab("0 * * * *")]
    private async Task HashAsync()
    {
        using var file = new FileStream("data.bin", FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        var buffer = new byte[4096];
        var read = file.Read(buffer, 0, buffer.Length);
        await Task.Yield();
    }
}

// CASE blocking direct: ManualResetEventSlim.Wait for readiness
public partial class ReadyGate : Service
{
    private readonly ManualResetEventSlim _ready = new();

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _ready.Wait(cancellationToken);
        await Task.Yield();
    }
}

// CASE blocking direct: File.ReadAllLines in a lambda in the hook
public partial class Importer : Service
{
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Func<string[]> read = () => File.ReadAllLines("import.csv");
        var lines = read();
        await Task.Yield();
    }
}

// CASE blocking direct: ValueTask<T>.Result of a lookup
public partial class Resolver : Service
{
    private static ValueTask<int> LookupAsync() => new(Task.Run(() => 42));

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var n = LookupAsync().Result;
        return default;
    }
}

// CASE blocking direct: Directory scan with File.ReadAllBytes per file
public partial class Indexer : Service
{
    [Task]
    private async Task IndexAsync()
    {
        foreach (var path in Directory.EnumerateFiles("."))
        {
            var bytes = File.ReadAllBytes(path);
        }

        await Task.Yield();
    }
}

// CASE blocking helper: settings read through a static helper
public partial class SettingsService : Service
{
    private Settings? _settings;

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _settings = SettingsFile.Read("settings.json");
        await Task.Yield();
    }
}

// CASE blocking helper: two levels (ReadOrDefault -> Read -> File.ReadAllText)
public partial class SettingsWatcher : Service
{
    [Timer(60)]
    private void Reload() => _ = SettingsFile.ReadOrDefault("settings.json");
}

// CASE blocking helper: repository writes the file through a private helper
public partial class Snapshotter : Service
{
    private readonly Repository _repository = new();

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        _repository.SaveAll("snapshot.txt");
        return default;
    }
}

// CASE blocking helper: waits on a semaphore inside a helper
public partial class Exclusive : Service
{
    private readonly Repository _repository = new();
    private readonly SemaphoreSlim _gate = new(1);

    [Task]
    private async Task RunAsync()
    {
        _repository.WaitForLock(_gate);
        await Task.Yield();
    }
}

// CASE blocking helper: .Result inside a sync counter
public partial class Stats : Service
{
    private readonly Repository _repository = new();

    [Timer(10)]
    private ValueTask ReportAsync()
    {
        var count = _repository.Count();
        return default;
    }
}

// CASE blocking helper: a retry helper that sleeps between attempts
public partial class Uploader : Service
{
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var ok = Retry.Run(() => true);
        await Task.Yield();
    }
}

// CASE blocking helper: runs a shell command and waits for it
public partial class Migrator : Service
{
    protected override async ValueTask OnFirstStartAsync(CancellationToken cancellationToken)
    {
        var code = Shell.Run("migrate.sh");
        await Task.Yield();
    }
}

// CASE blocking helper: own private helper that sleeps
public partial class Poller : Service
{
    private int _polls;

    [Task]
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Backoff();
            await Task.Yield();
        }
    }

    private void Backoff() => Thread.Sleep(Math.Min(1000, ++_polls * 10));
}

// CASE blocking helper: own private helper that loads a certificate file
public partial class TlsEndpoint : Service
{
    private byte[] _certificate = [];

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _certificate = LoadCertificate();
        await Task.Yield();
    }

    private static byte[] LoadCertificate() => File.ReadAllBytes("cert.pfx");
}

// CASE blocking helper: helper called from a lambda in a timer
public partial class Compactor : Service
{
    private readonly Repository _repository = new();

    [Timer(300)]
    private async Task CompactAsync()
    {
        Action compact = () => _repository.SaveAll("compacted.txt");
        compact();
        await Task.Yield();
    }
}

// CASE blocking catalog: BlockingCollection.Take in a consumer task
public partial class Consumer : Service
{
    private readonly BlockingCollection<string> _queue = new();

    [Task]
    private async Task ConsumeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var item = _queue.Take(cancellationToken);
            await Task.Yield();
        }
    }
}

// CASE blocking catalog: bounded BlockingCollection.Add in a producer timer
public partial class Producer : Service
{
    private readonly BlockingCollection<int> _queue = new(boundedCapacity: 10);

    [Timer(1)]
    private void Produce() => _queue.Add(Environment.TickCount);
}

// CASE blocking catalog: GetConsumingEnumerable loop
public partial class Drainer : Service
{
    private readonly BlockingCollection<string> _queue = new();

    [Task]
    private async Task DrainAsync()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            await Task.Yield();
        }
    }
}

// CASE blocking catalog: TryTake with a timeout
public partial class Batcher : Service
{
    private readonly BlockingCollection<int> _queue = new();

    [Timer(1)]
    private ValueTask BatchAsync()
    {
        while (_queue.TryTake(out var item, TimeSpan.FromMilliseconds(100)))
        {
        }

        return default;
    }
}

// CASE blocking catalog: synchronous socket connect and send
public partial class TcpSender : Service
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, 9000));
        _socket.Send("hello"u8.ToArray());
        await Task.Yield();
    }
}

// CASE blocking catalog: synchronous socket receive in a task
public partial class TcpReceiver : Service
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);

    [Task]
    private async Task ReceiveAsync()
    {
        var buffer = new byte[1024];
        var n = _socket.Receive(buffer);
        await Task.Yield();
    }
}

// CASE blocking catalog: accepting a connection synchronously
public partial class Listener : Service
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 9001);

    [Task]
    private async Task AcceptAsync()
    {
        _listener.Start();
        using var client = _listener.AcceptTcpClient();
        await Task.Yield();
    }
}

// CASE blocking catalog: NetworkStream span read
public partial class FrameReader : Service
{
    private readonly NetworkStream _stream = new(new Socket(SocketType.Stream, ProtocolType.Tcp));

    [Task]
    private async Task ReadAsync()
    {
        var header = new byte[4];
        _stream.ReadExactly(header.AsSpan());
        await Task.Yield();
    }
}

// CASE blocking catalog: SpinWait.SpinUntil for a flag
public partial class FlagWaiter : Service
{
    private volatile bool _ready;

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        SpinWait.SpinUntil(() => _ready);
        await Task.Yield();
    }
}

// CASE blocking catalog: busy loop on Thread.SpinWait
public partial class Spinner : Service
{
    private volatile bool _done;

    [Task]
    private async Task SpinAsync()
    {
        while (!_done)
        {
            Thread.SpinWait(100);
        }

        await Task.Yield();
    }
}

// CASE blocking catalog: Dns.GetHostEntry at start
public partial class DnsCheck : Service
{
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var entry = Dns.GetHostEntry("localhost");
        await Task.Yield();
    }
}

// CASE blocking catalog: synchronous Dispose of a FileStream on stop
public partial class Journal : Service
{
    private FileStream? _file;

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        _file?.Dispose();
        return default;
    }
}

// CASE blocking catalog: using (not await using) of a StreamWriter that flushes on dispose
public partial class ReportWriter : Service
{
    [Crontab("@daily")]
    private async Task WriteAsync()
    {
        using var writer = new StreamWriter("report.txt");
        await writer.WriteLineAsync("report");
    }
}

// CASE blocking catalog: Console.ReadKey to pause
public partial class Pause : Service
{
    [Task]
    private async Task WaitForKeyAsync()
    {
        var key = Console.ReadKey(intercept: true);
        await Task.Yield();
    }
}

// CASE blocking async-void-lambda: List.ForEach with an async lambda
public partial class Notifier : Service
{
    private readonly List<string> _targets = ["a", "b"];
    private readonly HttpClient _http = new();

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _targets.ForEach(async target => await _http.GetAsync("http://localhost/" + target, cancellationToken));
        await Task.Yield();
    }
}

// CASE blocking async-void-lambda: System.Threading.Timer callback
public partial class LegacyTimer : Service
{
    private Timer? _timer;

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _timer = new Timer(async _ => await Task.Delay(10), null, 0, 1000);
        return default;
    }
}

// CASE blocking async-void-lambda: event subscription with an async lambda
public partial class FileWatcher : Service
{
    private readonly FileSystemWatcher _watcher = new(".");

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _watcher.Changed += async (sender, e) => await File.ReadAllTextAsync(e.FullPath);
        return default;
    }
}

// CASE blocking async-void-lambda: Action field holding an async lambda
public partial class Callbacks : Service
{
    private Action? _onTick;

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        _onTick = async () => await Task.Delay(1);
        return default;
    }
}

// CASE clean zero-timeout: polls a semaphore with Wait(0)
public partial class TryLock : Service
{
    private readonly SemaphoreSlim _gate = new(1);

    [Timer(1)]
    private void Tick()
    {
        if (_gate.Wait(0))
        {
            _gate.Release();
        }
    }
}

// CASE clean zero-timeout: checks an event with WaitOne(0)
public partial class StopFlag : Service
{
    private readonly ManualResetEvent _stop = new(false);

    [Task]
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!_stop.WaitOne(0))
        {
            await Task.Delay(100, cancellationToken);
        }
    }
}

// CASE clean zero-timeout: Task.Wait(TimeSpan.Zero) as a completion probe
public partial class Probe : Service
{
    private Task _pending = Task.CompletedTask;

    [Timer(1)]
    private void Check()
    {
        if (_pending.Wait(TimeSpan.Zero))
        {
            _pending = Task.Delay(1000);
        }
    }
}

// CASE clean zero-timeout: TryTake without a timeout
public partial class Sweeper : Service
{
    private readonly BlockingCollection<int> _queue = new();

    [Timer(1)]
    private void Sweep()
    {
        while (_queue.TryTake(out _))
        {
        }
    }
}

// CASE clean completed-task: .Result after awaiting the same task
public partial class Aggregator : Service
{
    private readonly HttpClient _http = new();

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var page = _http.GetStringAsync("http://localhost/", cancellationToken);
        await page;
        var length = page.Result.Length;
    }
}

// CASE clean completed-task: results after Task.WhenAll
public partial class Joiner : Service
{
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var a = Task.Run(() => 1, cancellationToken);
        var b = Task.Run(() => 2, cancellationToken);
        await Task.WhenAll(a, b);
        var sum = a.Result + b.Result;
    }
}

// CASE clean completed-task: antecedent inside ContinueWith
public partial class Chained : Service
{
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var first = Task.Run(() => 21, cancellationToken);
        var doubled = await first.ContinueWith(previous => previous.Result * 2, cancellationToken);
    }
}

// CASE clean completed-task: guarded by IsCompletedSuccessfully
public partial class FastPath : Service
{
    private Task<int> _cached = Task.Run(() => 1);

    [Timer(1)]
    private async Task RefreshAsync()
    {
        var value = _cached.IsCompletedSuccessfully ? _cached.Result : await _cached;
    }
}

// CASE clean completed-task: Task.FromResult stored in a local
public partial class Defaults : Service
{
    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var fallback = Task.FromResult("none");
        var value = fallback.Result;
        return default;
    }
}

// CASE clean plain: awaits the async forms everywhere
public partial class Modern : Service
{
    private readonly HttpClient _http = new();

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync("a.txt", cancellationToken);
        var page = await _http.GetStringAsync("http://localhost/", cancellationToken);
        await SleepAsync(TimeSpan.FromSeconds(1));
    }
}

// CASE clean plain: blocking work moved to Task.Run
public partial class Offloader : Service
{
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        var settings = await Task.Run(() => SettingsFile.Read("settings.json"), cancellationToken);
    }
}

// CASE clean plain: in-memory streams and a short lock
public partial class Serializer : Service
{
    private readonly object _sync = new();
    private int _count;

    [Timer(1)]
    private void Serialize()
    {
        using var buffer = new MemoryStream();
        buffer.Write([1, 2, 3], 0, 3);
        lock (_sync)
        {
            _count++;
        }
    }
}

// CASE clean plain: await using and a token registration
public partial class Streamer : Service
{
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead("a.bin");
        using var registration = cancellationToken.Register(() => { });
        await file.ReadAsync(new byte[16], cancellationToken);
    }
}

// CASE clean plain: helpers that only compute
public partial class Formatter : Service
{
    private readonly Repository _repository = new();

    [Timer(1)]
    private void Format()
    {
        var text = SettingsFile.Describe(new Settings("x", 1));
        var row = _repository.Find("key");
    }
}

// CASE clean plain: an async lambda given to a Func<Task>
public partial class Scheduler : Service
{
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Func<Task> job = async () => await Task.Delay(1, cancellationToken);
        await job();
    }
}
