using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Mode.IntegrationTests;

/// <summary>
/// The tutorial running as a real process: the NativeAOT binary named by <c>MODE_TUTORIAL_BINARY</c>
/// (what .ci/run publishes), otherwise the JIT build next to this test (<c>dotnet Tutorial.dll</c>).
/// Collects standard output and error line by line; tests wait for lines, never for time.
/// </summary>
internal sealed partial class TutorialProcess : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly object _lock = new();
    private readonly List<(bool Error, string Line)> _lines = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TutorialProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Which tutorial build runs (for messages).</summary>
    public static string Flavour => Environment.GetEnvironmentVariable("MODE_TUTORIAL_BINARY") is { Length: > 0 } binary ? "NativeAOT " + binary : "JIT " + TutorialDll();

    public IReadOnlyList<string> Stdout => Snapshot(error: false);

    public IReadOnlyList<string> Stderr => Snapshot(error: true);

    /// <summary>Messages of Mode's log lines (after the timestamp), e.g. <c>[^--Webserver]: Starting...</c>.</summary>
    public IReadOnlyList<string> LogMessages =>
        Stderr.Where(static l => l.StartsWith('[') && l.Contains("]: [^", StringComparison.Ordinal))
            .Select(static l => l[(l.IndexOf("]: [^", StringComparison.Ordinal) + 3)..])
            .ToArray();

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join("\n", _lines.Select(static l => (l.Error ? "err| " : "out| ") + l.Line));
            }
        }
    }

    public static TutorialProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (Environment.GetEnvironmentVariable("MODE_TUTORIAL_BINARY") is { Length: > 0 } binary)
        {
            info.FileName = binary;
        }
        else
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add(TutorialDll());
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var tutorial = new TutorialProcess(process);
        process.OutputDataReceived += (_, e) => tutorial.Add(false, e.Data);
        process.ErrorDataReceived += (_, e) => tutorial.Add(true, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tutorial;
    }

    /// <summary>Two free loopback ports (asked of the OS, then released for the tutorial).</summary>
    public static (int Web, int Websocket) FreePorts()
    {
        var a = new TcpListener(IPAddress.Loopback, 0);
        var b = new TcpListener(IPAddress.Loopback, 0);
        a.Start();
        b.Start();
        var ports = (((IPEndPoint)a.LocalEndpoint).Port, ((IPEndPoint)b.LocalEndpoint).Port);
        a.Stop();
        b.Stop();
        return ports;
    }

    /// <summary>Waits for a line (stdout or stderr) containing <paramref name="text"/>; fails with the whole output after <see cref="Timeout"/>.</summary>
    public Task<string> WaitForLineAsync(string text) => WaitForAnyLineAsync(text);

    /// <summary>Waits for a line containing any of <paramref name="texts"/>; fails with the whole output after <see cref="Timeout"/>.</summary>
    public async Task<string> WaitForAnyLineAsync(params string[] texts)
    {
        var text = string.Join("' or '", texts);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                foreach (var (_, line) in _lines)
                {
                    if (Array.Exists(texts, t => line.Contains(t, StringComparison.Ordinal)))
                    {
                        return line;
                    }
                }

                changed = _changed.Task;
            }

            var remaining = Timeout - deadline.Elapsed;
            if (_process.HasExited)
            {
                // The output may still be draining; give the readers their end-of-stream.
                await _process.WaitForExitAsync().WaitAsync(Timeout);
                if (!Array.Exists(texts, HasLine))
                {
                    Assert.Fail($"The tutorial ({Flavour}) exited with {_process.ExitCode} before printing '{text}'. Output:\n{Output}");
                }

                continue;
            }

            if (remaining <= TimeSpan.Zero)
            {
                Assert.Fail($"The tutorial ({Flavour}) did not print '{text}' within {Timeout.TotalSeconds} s. Output:\n{Output}");
            }

            try
            {
                await changed.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                // Checked at the top of the loop.
            }
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The tutorial ({Flavour}) did not exit within {Timeout.TotalSeconds} s. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Writes one line to the process's standard input.</summary>
    public void WriteLine(string line)
    {
        _process.StandardInput.Write(line + "\n");
        _process.StandardInput.Flush();
    }

    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
        {
            Assert.Fail($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Whether the process ignores SIGINT (inherited from a shell's background job): then Ctrl-C cannot reach it.</summary>
    public bool IgnoresSigInt()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status").FirstOrDefault(static l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return status is not null && (Convert.ToUInt64(status["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) != 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(Timeout);
        }

        _process.Dispose();
    }

    private bool HasLine(string text)
    {
        lock (_lock)
        {
            return _lines.Exists(l => l.Line.Contains(text, StringComparison.Ordinal));
        }
    }

    private string[] Snapshot(bool error)
    {
        lock (_lock)
        {
            return _lines.Where(l => l.Error == error).Select(static l => l.Line).ToArray();
        }
    }

    private void Add(bool error, string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource changed;
        lock (_lock)
        {
            _lines.Add((error, line));
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private static string TutorialDll()
    {
        // tests/Mode.IntegrationTests/bin/<Configuration>/net10.0/ -> samples/Tutorial/bin/<Configuration>/net10.0/Tutorial.dll
        var here = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var configuration = new DirectoryInfo(here).Parent!.Name;
        var root = new DirectoryInfo(here);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Mode.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var dll = Path.Combine(root.FullName, "samples", "Tutorial", "bin", configuration, "net10.0", "Tutorial.dll");
        Assert.True(File.Exists(dll), $"The tutorial is not built at {dll}");
        return dll;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
