using Microsoft.Extensions.Logging;
using Mode.Runtime.Tests.WorkerSupport;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class WorkerCommandLineTests
{
    private sealed class Run
    {
        private readonly StringWriter _out = new();
        private readonly StringWriter _err = new();

        public Run(Action<Worker>? configure = null)
        {
            Service = new ProbeService("A", Log) { Started = (s, _) => { s.StopWorker(); return default; } };
            Worker = new Worker(Service, new WorkerOptions
            {
                HandleSignals = false,
                Colors = false,
                Out = _out,
                Error = _err,
                ProgramName = "tutorial",
                Version = "1.2.3",
            });
            configure?.Invoke(Worker);
        }

        public ProbeLog Log { get; } = new();

        public ProbeService Service { get; }

        public Worker Worker { get; }

        public string Out => _out.ToString();

        public string Err => _err.ToString();

        public Task<int> ExecuteAsync(params string[] args) => Worker.ExecuteFromCommandLineAsync(args).Within();
    }

    [Fact]
    public async Task Help_PrintsUsageToStandardOutput_RunsNothing_Returns0()
    {
        var run = new Run();

        Assert.Equal(0, await run.ExecuteAsync("--help"));

        Assert.StartsWith("Usage: tutorial [options]\n\nOptions:\n", run.Out);
        Assert.Contains("  -l, --loglevel LEVEL", run.Out);
        Assert.Contains("  -f, --logfile FILE", run.Out);
        Assert.Contains("  -q, --quiet", run.Out);
        Assert.Contains("      --debug", run.Out);
        Assert.Contains("      --version", run.Out);
        Assert.Empty(run.Log.Events);
        Assert.Empty(run.Err);
    }

    [Fact]
    public async Task ShortHelp_IsTheSame()
    {
        var run = new Run();

        Assert.Equal(0, await run.ExecuteAsync("-h"));

        Assert.StartsWith("Usage: tutorial [options]", run.Out);
    }

    [Fact]
    public async Task Version_PrintsProgramAndVersion_Returns0()
    {
        var run = new Run();

        Assert.Equal(0, await run.ExecuteAsync("--version"));

        Assert.Equal("tutorial 1.2.3\n", run.Out);
        Assert.Empty(run.Log.Events);
    }

    [Theory]
    [InlineData(new[] { "--nope" }, "unknown option '--nope'")]
    [InlineData(new[] { "-x" }, "unknown option '-x'")]
    [InlineData(new[] { "stray" }, "unexpected argument 'stray'")]
    [InlineData(new[] { "--loglevel" }, "option '--loglevel' needs a value (LEVEL)")]
    [InlineData(new[] { "--loglevel", "loud" }, "invalid value 'loud' for --loglevel: expected trace, debug, info, warning, error or critical")]
    [InlineData(new[] { "--quiet=yes" }, "option '--quiet' takes no value")]
    [InlineData(new[] { "--logfile=" }, "invalid value '' for --logfile: the file name is empty")]
    [InlineData(new[] { "--port", "http" }, "invalid value 'http' for --port:")]
    [InlineData(new[] { "--port", "70000" }, "invalid value '70000' for --port:")]
    public async Task BadArguments_PrintTheErrorAndUsageToStandardError_Return2(string[] args, string error)
    {
        var run = new Run(w => w.CommandLine.AddOption("--port", "PORT", "web port", v => Port(v)));

        Assert.Equal(2, await run.ExecuteAsync(args));

        Assert.StartsWith("tutorial: error: " + error, run.Err);
        Assert.Contains("\n\nUsage: tutorial [options]\n", run.Err);
        Assert.Empty(run.Out);
        Assert.Empty(run.Log.Events);
    }

    private static int Port(string value)
    {
        var port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535, nameof(value));
        return port;
    }

    [Fact]
    public async Task CustomOptionsAndFlags_AreApplied_InBothForms()
    {
        var port = 0;
        var bind = "";
        var crash = false;
        var run = new Run(w =>
        {
            w.CommandLine.AddOption("--port", "PORT", "web port", v => port = Port(v), "-p");
            w.CommandLine.AddOption("--bind", "HOST", "address", v => bind = v);
            w.CommandLine.AddFlag("--crash-after-start", "test only", () => crash = true, hidden: true);
        });

        Assert.Equal(0, await run.ExecuteAsync("-p", "6066", "--bind=127.0.0.1", "--crash-after-start", "--loglevel=warning"));

        Assert.Equal(6066, port);
        Assert.Equal("127.0.0.1", bind);
        Assert.True(crash);
        Assert.Equal(LogLevel.Warning, run.Worker.Options.LogLevel);
        Assert.DoesNotContain("INFO", run.Err);
    }

    [Fact]
    public async Task HiddenOptions_AreLeftOutOfTheUsage()
    {
        var run = new Run(w =>
        {
            w.CommandLine.AddOption("--port", "PORT", "web server port", _ => { });
            w.CommandLine.AddFlag("--crash-after-start", "test only", () => { }, hidden: true);
        });

        await run.ExecuteAsync("--help");

        Assert.Contains("--port PORT", run.Out);
        Assert.Contains("web server port", run.Out);
        Assert.DoesNotContain("crash", run.Out);
    }

    [Fact]
    public async Task Debug_LowersTheDefaultLevelToDebug_UnlessALevelIsGiven()
    {
        var debug = new Run();
        Assert.Equal(0, await debug.ExecuteAsync("--debug"));
        Assert.Contains("DEBUG]: [^-A]: -Stopped!", debug.Err);

        var both = new Run();
        Assert.Equal(0, await both.ExecuteAsync("--debug", "-l", "info"));
        Assert.DoesNotContain("DEBUG", both.Err);

        var overCode = new Run(w => w.Options.LogLevel = LogLevel.Information);
        Assert.Equal(0, await overCode.ExecuteAsync("--debug"));
        Assert.Contains("DEBUG]: [^-A]: -Stopped!", overCode.Err);
    }

    [Fact]
    public async Task UnwritableLogFile_IsABadArgument()
    {
        var run = new Run();

        Assert.Equal(2, await run.ExecuteAsync("--logfile", Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "x.log")));

        Assert.StartsWith("tutorial: error: cannot open log file", run.Err);
        Assert.Empty(run.Log.Events);
    }

    [Fact]
    public void AddOption_RejectsMalformedAndDuplicateNames()
    {
        var worker = new Worker(new ProbeService("A", new ProbeLog()));

        Assert.Throws<ArgumentException>(() => worker.CommandLine.AddOption("port", "PORT", "x", _ => { }));
        Assert.Throws<ArgumentException>(() => worker.CommandLine.AddFlag("--loglevel", "x", () => { }));
        Assert.Throws<ArgumentException>(() => worker.CommandLine.AddFlag("--new", "x", () => { }, "-q"));
        Assert.Throws<ArgumentException>(() => worker.CommandLine.AddFlag("--new", "x", () => { }, "--n"));
    }

    [Theory]
    [InlineData("info", LogLevel.Information)]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData("warning", LogLevel.Warning)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("critical", LogLevel.Critical)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("2", LogLevel.Information)]
    public void ParseLevel_AcceptsPythonAndDotNetNames(string name, LogLevel expected) =>
        Assert.Equal(expected, WorkerCommandLine.ParseLevel(name));
}
