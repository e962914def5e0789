using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Mode.ShutdownLoad;

/// <summary>What became of one request (or one WebSocket message).</summary>
public enum Outcome
{
    /// <summary>The endpoint's real answer.</summary>
    Correct,

    /// <summary>No answer: connection refused, reset or closed before a complete response.</summary>
    ConnectionError,

    /// <summary>An answer that is not the endpoint's: a wrong status, an empty or foreign body, a bad echo.</summary>
    Wrong,

    /// <summary>Neither an answer nor an error within <see cref="LoadClients.RequestTimeout"/>.</summary>
    Hung,
}

/// <summary>Outcome counts, split by whether the request was sent before the stop signal.</summary>
public sealed class Tally
{
    private readonly long[] _counts = new long[8];
    private readonly List<string> _wrongSamples = [];

    public long Count(Outcome outcome, bool beforeSignal) => Interlocked.Read(ref _counts[Index(outcome, beforeSignal)]);

    public long Count(Outcome outcome) => Count(outcome, true) + Count(outcome, false);

    /// <summary>A few of the wrong answers, as "endpoint: what came back".</summary>
    public IReadOnlyList<string> WrongSamples
    {
        get
        {
            lock (_wrongSamples)
            {
                return [.. _wrongSamples];
            }
        }
    }

    public void Add(Outcome outcome, bool beforeSignal, string? detail = null)
    {
        Interlocked.Increment(ref _counts[Index(outcome, beforeSignal)]);
        if (outcome is Outcome.Wrong or Outcome.Hung && detail is not null)
        {
            lock (_wrongSamples)
            {
                if (_wrongSamples.Count < 20)
                {
                    _wrongSamples.Add((beforeSignal ? "[sent before the signal] " : "") + detail);
                }
            }
        }
    }

    public void AddTo(Tally total)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Add(ref total._counts[i], Interlocked.Read(ref _counts[i]));
        }

        lock (total._wrongSamples)
        {
            total._wrongSamples.AddRange(WrongSamples.Take(20 - total._wrongSamples.Count));
        }
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"correct {Count(Outcome.Correct)}, connection errors {Count(Outcome.ConnectionError)} " +
        $"(before/after the signal {Count(Outcome.ConnectionError, true)}/{Count(Outcome.ConnectionError, false)}), " +
        $"wrong {Count(Outcome.Wrong)} (before/after {Count(Outcome.Wrong, true)}/{Count(Outcome.Wrong, false)}), " +
        $"hung {Count(Outcome.Hung)}");

    private static int Index(Outcome outcome, bool beforeSignal) => ((int)outcome * 2) + (beforeSignal ? 1 : 0);
}

/// <summary>An HTTP endpoint and its one right answer.</summary>
/// <param name="Name">For reports, e.g. <c>/users/{id}</c>.</param>
/// <param name="Path">The path for the request number <c>n</c>.</param>
/// <param name="IsRightAnswer">Whether a status and body are the endpoint's answer to that request.</param>
public sealed record Endpoint(string Name, Func<int, string> Path, Func<int, HttpStatusCode, string, bool> IsRightAnswer)
{
    private static readonly Regex s_hello = new(@"^Hello from Mode for \.NET: Webserver on thread \d+\n$", RegexOptions.CultureInvariant);

    /// <summary>Every HTTP endpoint of the tutorial's web server (samples/Tutorial/Webserver.cs).</summary>
    public static IReadOnlyList<Endpoint> Tutorial { get; } =
    [
        new("/", static _ => "/", static (_, status, body) => status == HttpStatusCode.OK && s_hello.IsMatch(body)),
        new("/users/{id}", static n => $"/users/{n}", static (n, status, body) => status == HttpStatusCode.OK && body == $"{{\"id\":\"{n}\",\"name\":\"user-{n}\"}}\n"),
        new("/missing/{n} (the tutorial's own 404)", static n => $"/missing/{n}", static (_, status, body) => status == HttpStatusCode.NotFound && body == "Not found\n"),
    ];

    /// <summary>The hosted worker's health endpoint (samples/HostedWorker/HealthEndpoint.cs): 200 when healthy or degraded, 503 when not, with a report.</summary>
    public static IReadOnlyList<Endpoint> HostedWorker { get; } =
    [
        new("/healthz", static _ => "/healthz", static (_, status, body) =>
            (status == HttpStatusCode.OK && (body.StartsWith("Healthy\n", StringComparison.Ordinal) || body.StartsWith("Degraded\n", StringComparison.Ordinal))
             || (status == HttpStatusCode.ServiceUnavailable && body.StartsWith("Unhealthy\n", StringComparison.Ordinal)))
            && body.Contains(": ", StringComparison.Ordinal)),
    ];
}

/// <summary>
/// Clients that load a server and check every answer: HTTP clients cycle through the
/// <see cref="Endpoint"/>s (each with its own connection pool, so keep-alive connections are reused as
/// a browser would), WebSocket clients send numbered messages and expect each back. Each answer is
/// classified (<see cref="Outcome"/>) and counted as sent before or after <see cref="MarkSignal"/>.
/// </summary>
public sealed class LoadClients : IAsyncDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly Uri _http;
    private readonly Uri? _websocket;
    private readonly IReadOnlyList<Endpoint> _endpoints;
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _clients;
    private int _clientsAnswered;
    private long _signalAt = long.MaxValue;

    /// <param name="httpBase">e.g. <c>http://127.0.0.1:8000</c>.</param>
    /// <param name="websocket">The WebSocket echo server (<c>ws://127.0.0.1:8001/</c>), or <see langword="null"/>.</param>
    public LoadClients(Uri httpBase, Uri? websocket, IReadOnlyList<Endpoint> endpoints)
    {
        _http = httpBase;
        _websocket = websocket;
        _endpoints = endpoints;
    }

    public Tally Tally { get; } = new();

    /// <summary>Starts <paramref name="httpClients"/> HTTP and <paramref name="websocketClients"/> WebSocket clients.</summary>
    public void Start(int httpClients, int websocketClients)
    {
        _clients = httpClients + (_websocket is null ? 0 : websocketClients);
        for (var i = 0; i < httpClients; i++)
        {
            var client = i;
            _loops.Add(Task.Run(() => HttpLoopAsync(client)));
        }

        for (var i = 0; i < websocketClients && _websocket is not null; i++)
        {
            var client = i;
            _loops.Add(Task.Run(() => WebSocketLoopAsync(client)));
        }
    }

    /// <summary>Completes once every client has had a right answer: the load is on, every client has its connection.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>Marks the moment the stop signal is sent: requests sent from now on count as "after".</summary>
    public void MarkSignal() => Interlocked.Exchange(ref _signalAt, Stopwatch.GetTimestamp());

    /// <summary>Stops the clients; a request still waiting is not counted.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private bool SentBeforeSignal(long sentAt) => sentAt < Interlocked.Read(ref _signalAt);

    private void CountCorrect(ref bool answered)
    {
        if (!answered)
        {
            answered = true;
            if (Interlocked.Increment(ref _clientsAnswered) == _clients)
            {
                _loaded.TrySetResult();
            }
        }
    }

    private async Task HttpLoopAsync(int client)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var answered = false;
        for (var n = client * 1_000_000; !_stop.IsCancellationRequested; n++)
        {
            var endpoint = _endpoints[n % _endpoints.Count];
            var uri = new Uri(_http, endpoint.Path(n));
            var sentAt = Stopwatch.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(RequestTimeout);
            try
            {
                using var response = await http.GetAsync(uri, timeout.Token).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                if (endpoint.IsRightAnswer(n, response.StatusCode, body))
                {
                    Tally.Add(Outcome.Correct, SentBeforeSignal(sentAt));
                    CountCorrect(ref answered);
                }
                else
                {
                    Tally.Add(Outcome.Wrong, SentBeforeSignal(sentAt), $"GET {uri.PathAndQuery}: {(int)response.StatusCode} {Show(body)}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                Tally.Add(Outcome.Hung, SentBeforeSignal(sentAt), $"GET {uri.PathAndQuery}: no answer within {RequestTimeout.TotalSeconds} s");
            }
            catch (Exception ex) when (IsConnectionError(ex))
            {
                Tally.Add(Outcome.ConnectionError, SentBeforeSignal(sentAt));
            }
            catch (HttpRequestException ex)
            {
                Tally.Add(Outcome.Wrong, SentBeforeSignal(sentAt), $"GET {uri.PathAndQuery}: {ex.HttpRequestError} {ex.Message}");
            }
        }
    }

    private async Task WebSocketLoopAsync(int client)
    {
        var buffer = new byte[256];
        var answered = false;
        for (var connection = 0; !_stop.IsCancellationRequested; connection++)
        {
            using var socket = new ClientWebSocket();
            var sentAt = Stopwatch.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(RequestTimeout);
            try
            {
                await socket.ConnectAsync(_websocket!, timeout.Token).ConfigureAwait(false);
                for (var message = 0; message < 20 && !_stop.IsCancellationRequested; message++)
                {
                    var text = $"echo {client}.{connection}.{message}";
                    sentAt = Stopwatch.GetTimestamp();
                    timeout.CancelAfter(RequestTimeout);
                    await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
                    var received = await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        // The server closed the connection with a close frame ("going away"): a clean end.
                        Tally.Add(Outcome.ConnectionError, SentBeforeSignal(sentAt));
                        break;
                    }

                    var echo = Encoding.UTF8.GetString(buffer, 0, received.Count);
                    if (echo == text && received.EndOfMessage)
                    {
                        Tally.Add(Outcome.Correct, SentBeforeSignal(sentAt));
                        CountCorrect(ref answered);
                    }
                    else
                    {
                        Tally.Add(Outcome.Wrong, SentBeforeSignal(sentAt), $"WebSocket echo of '{text}': '{echo}'");
                    }
                }

                if (socket.State == WebSocketState.Open)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                Tally.Add(Outcome.Hung, SentBeforeSignal(sentAt), $"WebSocket: no answer within {RequestTimeout.TotalSeconds} s");
            }
            catch (WebSocketException ex) when (ex.WebSocketErrorCode is WebSocketError.NotAWebSocket or WebSocketError.HeaderError or WebSocketError.UnsupportedProtocol or WebSocketError.UnsupportedVersion or WebSocketError.InvalidMessageType)
            {
                // The upgrade was answered with something else than 101 (e.g. the listener's own 404 or an empty 200).
                Tally.Add(Outcome.Wrong, SentBeforeSignal(sentAt), $"WebSocket {ex.WebSocketErrorCode}: {ex.Message}");
            }
            catch (Exception ex) when (ex is WebSocketException || IsConnectionError(ex))
            {
                Tally.Add(Outcome.ConnectionError, SentBeforeSignal(sentAt));
            }
        }
    }

    /// <summary>Refused, reset, or closed before the response was complete: the client got no answer at all.</summary>
    private static bool IsConnectionError(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse }:
                    return false;
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded }:
                case HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded }:
                case SocketException:
                    return true;
                case IOException when e is not HttpIOException:
                    return true;
            }
        }

        return false;
    }

    private static string Show(string body) =>
        body.Length == 0 ? "(empty body)" : "'" + (body.Length > 60 ? body[..60] + "…" : body).ReplaceLineEndings("\\n") + "'";
}
