using System.Globalization;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using Mode.ShutdownLoad;

namespace Mode.IntegrationTests;

/// <summary>
/// The seed's tutorial as a real process: start lines, HTTP and WebSocket answers, signals, exit codes.
/// Runs the NativeAOT binary when .ci/run names it in MODE_TUTORIAL_BINARY, else the JIT build.
/// </summary>
public class TutorialTests
{
    private static readonly string[] s_startLines =
    [
        "[^Worker]: Starting...",
        "[^-AppService]: Starting...",
        "[^--Websockets]: Starting...",
        "[^--Webserver]: Starting...",
        "[^--Webserver]: Serving on port",
        "[^--UserCache]: Starting...",
    ];

    private static readonly string[] s_stopLines =
    [
        "[^Worker]: Stopping on signal received...",
        "[^Worker]: Stopping...",
        "[^-AppService]: Stopping...",
        "[^--UserCache]: Stopping...",
        "[^--Webserver]: Stopping...",
        "[^--Webserver]: Closing server",
        "[^--Webserver]: Waiting for server to close handle",
        "[^--Webserver]: Shutting down web application",
        "[^--Webserver]: Waiting for handler to shut down",
        "[^--Webserver]: Cleanup",
        "[^--Websockets]: Stopping...",
    ];

    private static async Task<(TutorialProcess Process, int Web, int Websocket)> StartedAsync(params string[] extra)
    {
        // A port found free can be taken again before the tutorial binds it: try a few times.
        for (var attempt = 1; ; attempt++)
        {
            var (web, websocket) = TutorialProcess.FreePorts();
            var process = TutorialProcess.Start(["--port", $"{web}", "--websocket-port", $"{websocket}", .. extra]);
            var line = await process.WaitForAnyLineAsync("App is running", "Error while starting");
            if (line.Contains("App is running", StringComparison.Ordinal))
            {
                return (process, web, websocket);
            }

            var output = process.Output;
            await process.DisposeAsync();
            Assert.True(attempt < 3 && output.Contains("in use", StringComparison.OrdinalIgnoreCase), "The tutorial failed to start:\n" + output);
        }
    }

    private static void AssertInOrder(IReadOnlyList<string> messages, string[] expected, string output)
    {
        var at = 0;
        foreach (var message in messages)
        {
            if (at < expected.Length && message.StartsWith(expected[at], StringComparison.Ordinal))
            {
                at++;
            }
        }

        Assert.True(at == expected.Length, $"Missing or out of order: '{(at < expected.Length ? expected[at] : "")}'. Output:\n{output}");
    }

    [Fact]
    public async Task Tutorial_ServesHttpAndWebSockets_AndStopsInReverseOrderOnSigint()
    {
        var (process, web, websocket) = await StartedAsync();
        await using var _ = process;
        Assert.False(process.IgnoresSigInt(), "The test host passes an ignored SIGINT on to its children (started as a background job without job control?); Ctrl-C cannot be tested.");
        AssertInOrder(process.LogMessages, s_startLines, process.Output);
        Assert.Equal(["App is starting", "STARTING WEBSOCKET SERVER"], process.Stdout.Take(2));

        using var http = new HttpClient { Timeout = TutorialProcess.Timeout };
        var hello = await http.GetStringAsync(new Uri($"http://127.0.0.1:{web}/"));
        Assert.StartsWith("Hello from Mode for .NET: Webserver on thread ", hello);
        var user = await http.GetStringAsync(new Uri($"http://127.0.0.1:{web}/users/7"));
        Assert.Equal("{\"id\":\"7\",\"name\":\"user-7\"}\n", user);
        var missing = await http.GetAsync(new Uri($"http://127.0.0.1:{web}/nope"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);

        using (var socket = new ClientWebSocket())
        {
            using var timeout = new CancellationTokenSource(TutorialProcess.Timeout);
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{websocket}/"), timeout.Token);
            await socket.SendAsync("hello, mode"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            var buffer = new byte[256];
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal("hello, mode", Encoding.UTF8.GetString(buffer, 0, received.Count));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }

        process.Signal(TutorialProcess.SigInt);

        Assert.Equal(0, await process.WaitForExitAsync());
        AssertInOrder(process.LogMessages, s_stopLines, process.Output);
    }

    [Fact]
    public async Task Tutorial_AtDebugLevel_PrintsTheSeedsStoppedLinesInOrder()
    {
        var (process, _, _) = await StartedAsync("--loglevel", "debug");
        await using var _ = process;

        process.Signal(TutorialProcess.SigTerm);

        Assert.Equal(0, await process.WaitForExitAsync());
        AssertInOrder(
            process.LogMessages,
            [
                "[^Worker]: Stopping on signal received...",
                "[^--UserCache]: Stopping...",
                "[^--UserCache]: -Stopped!",
                "[^--Webserver]: Stopping...",
                "[^--Webserver]: Cleanup",
                "[^--Webserver]: -Stopped!",
                "[^--Websockets]: Stopping...",
                "[^--Websockets]: -Stopped!",
                "[^-AppService]: -Stopped!",
                "[^Worker]: -Stopped!",
            ],
            process.Output);
    }

    [Fact]
    public async Task Tutorial_Crash_LogsTheLabelAndExitsWith1()
    {
        var (web, websocket) = TutorialProcess.FreePorts();
        await using var process = TutorialProcess.Start("--port", $"{web}", "--websocket-port", $"{websocket}", "--crash-after-start");

        Assert.Equal(1, await process.WaitForExitAsync());

        await process.WaitForLineAsync("[^--UserCache]: Crashed reason=InvalidOperationException: crash requested by --crash-after-start");
        await process.WaitForLineAsync("We experienced a crash!");
        AssertInOrder(process.LogMessages, ["[^--UserCache]: Stopping...", "[^--Webserver]: Stopping...", "[^--Websockets]: Stopping..."], process.Output);
    }

    [Fact]
    public async Task Tutorial_SupervisedCrash_IsRestarted_AndTheProcessKeepsServing()
    {
        var (process, web, _) = await StartedAsync("--supervise", "one-for-one", "--crash-after-start");
        await using var _ = process;

        await process.WaitForLineAsync("[^---UserCache]: Crashed reason=InvalidOperationException: crash requested by --crash-after-start");
        await process.WaitForLineAsync("[^--OneForOneSupervisor]: Restarting dead UserCache! Last crash reason: InvalidOperationException(crash requested by --crash-after-start)");
        await process.WaitForLineAsync("[^---UserCache]: Back after restart #1");
        AssertInOrder(process.LogMessages, ["[^---UserCache]: Starting...", "[^--OneForOneSupervisor]: Restarting dead UserCache!", "[^---UserCache]: Stopping...", "[^---UserCache]: Starting...", "[^---UserCache]: Back after restart #1"], process.Output);
        using var http = new HttpClient();
        var user = await http.GetStringAsync(new Uri($"http://127.0.0.1:{web}/users/7"));
        Assert.Contains("user-7", user, StringComparison.Ordinal);

        process.Signal(TutorialProcess.SigInt);
        Assert.Equal(0, await process.WaitForExitAsync());
    }

    [Fact]
    public async Task Tutorial_CrashUnderCrashingSupervisor_StopsEverything_AndExitsWith1()
    {
        var (process, _, _) = await StartedAsync("--supervise", "crashing", "--crash-after-start");
        await using var _ = process;

        Assert.Equal(1, await process.WaitForExitAsync());

        await process.WaitForLineAsync("[^---UserCache]: Crashed reason=InvalidOperationException: crash requested by --crash-after-start");
        AssertInOrder(process.LogMessages, ["[^Worker]: Stopping...", "[^--CrashingSupervisor]: Stopping...", "[^--Webserver]: Stopping...", "[^--Websockets]: Stopping..."], process.Output);
    }

    [Fact]
    public async Task Tutorial_PortInUse_FailsToStart_StopsWhatStarted_AndExitsWith1()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var taken = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var (_, websocket) = TutorialProcess.FreePorts();
            await using var process = TutorialProcess.Start("--port", $"{taken}", "--websocket-port", $"{websocket}");

            Assert.Equal(1, await process.WaitForExitAsync());

            await process.WaitForLineAsync("[^Worker]: Error while starting Webserver");
            AssertInOrder(process.LogMessages, ["[^--Webserver]: Starting...", "[^Worker]: Stopping...", "[^--Webserver]: Stopping...", "[^--Websockets]: Stopping..."], process.Output);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory]
    [InlineData("--bogus", "error: unknown option '--bogus'")]
    [InlineData("--port=http", "error: invalid value 'http' for --port")]
    [InlineData("--graph=out.png", "error: invalid value 'out.png' for --graph")]
    [InlineData("--bind=a b", "error: invalid value 'a b' for --bind: not an IP address or a host name")]
    [InlineData("--bind=[::1", "error: invalid value '[::1' for --bind: not an IPv6 address in brackets")]
    [InlineData("--bind=::1]", "error: invalid value '::1]' for --bind: not an IPv6 address in brackets")]
    [InlineData("--bind=192.0.2.1", "error: invalid value '192.0.2.1' for --bind: cannot listen on 192.0.2.1")]
    [InlineData("--bind=no-such-host.invalid", "error: invalid value 'no-such-host.invalid' for --bind: cannot resolve")]
    [InlineData("--graph=/no-such-folder/graph.dot", "error: invalid value '/no-such-folder/graph.dot' for --graph: the folder '/no-such-folder' does not exist")]
    [InlineData("--graph=/proc/graph.dot", "error: invalid value '/proc/graph.dot' for --graph: cannot write '/proc/graph.dot'")]
    [InlineData("--graph=/tmp", "error: invalid value '/tmp' for --graph: the file name must end in .dot")]
    public async Task Tutorial_BadArguments_PrintUsageAndExitWith2(string argument, string error)
    {
        await using var process = TutorialProcess.Start(argument);

        Assert.Equal(2, await process.WaitForExitAsync());

        await process.WaitForLineAsync(error);
        await process.WaitForLineAsync("Usage: Tutorial [options]");
        Assert.Empty(process.Stdout);
    }

    [Fact]
    public async Task Tutorial_BadArgumentAfterGoodOnes_StartsNothing()
    {
        var path = Path.Combine(Path.GetTempPath(), "mode-graph-" + Guid.NewGuid().ToString("N") + ".dot");
        await using var process = TutorialProcess.Start("--graph", path, "--port", "8080", "--bind", "a b");

        Assert.Equal(2, await process.WaitForExitAsync());

        await process.WaitForLineAsync("error: invalid value 'a b' for --bind");
        Assert.Empty(process.Stdout);
        Assert.False(File.Exists(path), "checking --graph must not leave the file behind");
    }

    [Fact]
    public async Task Tutorial_StopUnderLoad_AnswersEveryRequestRightOrNotAtAll()
    {
        var (process, web, websocket) = await StartedAsync();
        await using var _ = process;
        await using var clients = new LoadClients(new Uri($"http://127.0.0.1:{web}"), new Uri($"ws://127.0.0.1:{websocket}/"), Endpoint.Tutorial);
        clients.Start(httpClients: 16, websocketClients: 2);

        // Every client has had a right answer: each holds a kept-alive connection, requests are in flight.
        await clients.Loaded.WaitAsync(TutorialProcess.Timeout);
        clients.MarkSignal();
        process.Signal(TutorialProcess.SigTerm);

        Assert.Equal(0, await process.WaitForExitAsync());
        await clients.StopAsync().WaitAsync(TutorialProcess.Timeout);
        var tally = clients.Tally;
        Assert.True(tally.Count(Outcome.Wrong) == 0, $"Wrong answers while stopping: {tally}\n{string.Join("\n", tally.WrongSamples)}\nOutput:\n{process.Output}");
        Assert.True(tally.Count(Outcome.Correct) > 0, tally.ToString());
        Assert.DoesNotContain(process.LogMessages, static m => m.Contains("Error", StringComparison.Ordinal));
        AssertInOrder(process.LogMessages, s_stopLines, process.Output);
    }

    [Fact]
    public async Task Tutorial_Help_ListsTheWorkersAndTheTutorialsOptions()
    {
        await using var process = TutorialProcess.Start("--help");

        Assert.Equal(0, await process.WaitForExitAsync());

        var usage = string.Join("\n", process.Stdout);
        Assert.Contains("--loglevel LEVEL", usage);
        Assert.Contains("--port PORT", usage);
        Assert.Contains("--graph FILE", usage);
        Assert.DoesNotContain("--crash-after-start", usage);
    }

    [Fact]
    public async Task Tutorial_SecondSigint_DuringAStuckStop_ForcesExitWith130()
    {
        var (process, _, _) = await StartedAsync("--hang-on-stop");
        await using var _ = process;

        process.Signal(TutorialProcess.SigInt);
        await process.WaitForLineAsync("Hanging in OnStopAsync");
        process.Signal(TutorialProcess.SigInt);

        Assert.Equal(130, await process.WaitForExitAsync());
    }

    [Theory]
    [InlineData(TutorialProcess.SigTerm)]
    [InlineData(TutorialProcess.SigInt)]
    public async Task Tutorial_SignalBeforeTheTreeStarts_ExitsCleanly(int signal)
    {
        // The Worker installs its handlers before it parses the command line: a signal that arrives
        // then is a clean stop (exit 0), not the default action (killed: 128 + n). The handler runs
        // on a thread of its own, so whether it runs before or after the parse ends is not fixed:
        // either nothing starts, or the start is cancelled and stopped; both exit 0 and log the signal.
        var (web, websocket) = TutorialProcess.FreePorts();
        await using var process = TutorialProcess.Start("--pause-while-parsing", "--port", web.ToString(CultureInfo.InvariantCulture), "--websocket-port", websocket.ToString(CultureInfo.InvariantCulture));
        await process.WaitForLineAsync("Parsing paused");
        Assert.False(signal == TutorialProcess.SigInt && process.IgnoresSigInt(), "The test host passes an ignored SIGINT on to its children; Ctrl-C cannot be tested.");

        process.Signal(signal);
        process.WriteLine("go");

        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.Contains(process.LogMessages, static m => m.EndsWith("Stopping on signal received...", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tutorial_Sigusr1_PrintsTheServiceTree_AndKeepsRunning()
    {
        var (process, _, _) = await StartedAsync();
        await using var _ = process;

        process.Signal(10);
        await process.WaitForLineAsync("Service tree (SIGUSR1):");
        var webserver = await process.WaitForLineAsync("    Webserver [Running] thread=");
        await process.WaitForLineAsync("  AppService [Running]");

        Assert.Contains("tasks=[Webserver.serve]", webserver);
        process.Signal(TutorialProcess.SigTerm);
        Assert.Equal(0, await process.WaitForExitAsync());
    }

    [Theory]
    [InlineData(".dot", "digraph dependencies {", "n0 -> n1;")]
    [InlineData(".mmd", "flowchart TD", "n0 --> n1")]
    public async Task Tutorial_Graph_WritesTheBeaconTree(string extension, string header, string edge)
    {
        var path = Path.Combine(Path.GetTempPath(), "mode-graph-" + Guid.NewGuid().ToString("N") + extension);
        try
        {
            var (process, _, _) = await StartedAsync("--graph", path);
            await using var _ = process;
            process.Signal(TutorialProcess.SigTerm);
            Assert.Equal(0, await process.WaitForExitAsync());

            var graph = await File.ReadAllTextAsync(path);
            Assert.StartsWith(header, graph);
            Assert.Contains(edge, graph);
            foreach (var label in new[] { "Worker", "AppService", "Websockets", "Webserver", "UserCache" })
            {
                Assert.Contains($"\"{label}\"", graph);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
