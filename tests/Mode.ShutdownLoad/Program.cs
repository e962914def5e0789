// Shutdown under load (issue 13, item 3): start a sample, load every endpoint it serves with clients
// that check each answer, send SIGTERM at a random moment, and count right answers, clean connection
// errors (refused, reset, closed before a complete response) and wrong answers, split by whether the
// request was sent before or after the signal. A wrong answer is never acceptable.
//
//   dotnet run --project tests/Mode.ShutdownLoad -c Release -- --runs 30 --clients 32
//   dotnet run --project tests/Mode.ShutdownLoad -c Release -- --target hosted --runs 30
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Mode.ShutdownLoad;

var runs = 30;
var httpClients = 32;
var websocketClients = 4;
var target = "tutorial";
string? binary = null;
var seed = Environment.TickCount;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--runs": runs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--clients": httpClients = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--websocket-clients": websocketClients = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--target": target = Value(); break;
        case "--binary": binary = Value(); break;
        case "--seed": seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine("""
                usage: Mode.ShutdownLoad [--runs 30] [--clients 32] [--websocket-clients 4] [--target tutorial|hosted]
                                         [--binary PATH (a native binary, or a .dll run with dotnet)] [--seed N]
                """);
            return 2;
    }
}

if (target is not ("tutorial" or "hosted"))
{
    Console.Error.WriteLine("--target must be tutorial or hosted");
    return 2;
}

binary ??= SampleProcess.DefaultBinary(target == "tutorial" ? "Tutorial" : "HostedWorker");
Console.WriteLine($"{target}: {binary}; {runs} runs, {httpClients} HTTP clients, {(target == "tutorial" ? websocketClients : 0)} WebSocket clients, seed {seed}");
var random = new Random(seed);
var total = new Tally();
var failedStops = 0;
var stopTimes = new List<double>();
for (var run = 1; run <= runs; run++)
{
    var web = SampleProcess.FreePort();
    var websocket = SampleProcess.FreePort();
    string[] arguments = target == "tutorial"
        ? ["--port", $"{web}", "--websocket-port", $"{websocket}"]
        : ["--health-url", $"http://127.0.0.1:{web}/"];
    using var process = SampleProcess.Start(binary, arguments);
    if (!await process.WaitForLineAsync(target == "tutorial" ? "App is running" : "Health endpoint:", TimeSpan.FromSeconds(60)))
    {
        Console.WriteLine($"run {run}: did not start:\n{process.Output}");
        failedStops++;
        continue;
    }

    var clients = new LoadClients(
        new Uri($"http://127.0.0.1:{web}"),
        target == "tutorial" ? new Uri($"ws://127.0.0.1:{websocket}/") : null,
        target == "tutorial" ? Endpoint.Tutorial : Endpoint.HostedWorker);
    clients.Start(httpClients, target == "tutorial" ? websocketClients : 0);
    await clients.Loaded.WaitAsync(TimeSpan.FromSeconds(60));

    // A random moment under load.
    await Task.Delay(random.Next(100, 600));
    clients.MarkSignal();
    var stopping = Stopwatch.StartNew();
    process.Signal(15);
    var exited = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
    stopTimes.Add(stopping.Elapsed.TotalMilliseconds);
    await clients.DisposeAsync();

    var errors = process.Lines.Count(static l => l.Contains("Error in", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    var clean = exited && process.ExitCode == 0 && errors == 0;
    if (!clean)
    {
        failedStops++;
    }

    Console.WriteLine($"run {run,2}: {clients.Tally}; exit {(exited ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "none (killed)")} {stopping.Elapsed.TotalMilliseconds:F0} ms after the signal{(errors > 0 ? $", {errors} error lines in the log" : "")}");
    if (!clean)
    {
        Console.WriteLine(string.Join('\n', process.Lines.Where(static l => l.Contains("Error", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal) || l.StartsWith("   at ", StringComparison.Ordinal)).Take(15)));
    }

    clients.Tally.AddTo(total);
}

Console.WriteLine();
stopTimes.Sort();
Console.WriteLine($"total over {runs} shutdowns: {total}; stops with an error or a non-zero exit: {failedStops}");
if (stopTimes.Count > 0)
{
    Console.WriteLine($"signal to exit: median {stopTimes[stopTimes.Count / 2]:F0} ms, max {stopTimes[^1]:F0} ms");
}

foreach (var sample in total.WrongSamples)
{
    Console.WriteLine("  wrong: " + sample);
}

return total.Count(Outcome.Wrong) == 0 && failedStops == 0 ? 0 : 1;

/// <summary>A sample running as a child process, its output collected line by line.</summary>
internal sealed partial class SampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly object _lock = new();

    private SampleProcess(Process process) => _process = process;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public string Output => string.Join('\n', Lines);

    /// <summary>samples/NAME/bin/CONFIGURATION/net10.0/NAME.dll, CONFIGURATION being this tool's.</summary>
    public static string DefaultBinary(string name)
    {
        var here = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Mode.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine(root?.FullName ?? ".", "samples", name, "bin", configuration, "net10.0", name + ".dll");
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static SampleProcess Start(string binary, string[] args)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (binary.EndsWith(".dll", StringComparison.Ordinal))
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add(binary);
        }
        else
        {
            info.FileName = binary;
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        var process = new Process { StartInfo = info };
        var sample = new SampleProcess(process);
        process.OutputDataReceived += (_, e) => sample.Add(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    public async Task<bool> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && !_process.HasExited)
        {
            if (Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(10);
        }

        return Lines.Any(l => l.Contains(text, StringComparison.Ordinal));
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return false;
        }
    }

    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (_lock)
            {
                _lines.Add(line);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
