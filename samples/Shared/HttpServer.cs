using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Samples;

/// <summary>A request as the samples' handlers see it: GET only, no body.</summary>
/// <param name="Path">The path of the request target, without the query (e.g. <c>/users/7</c>).</param>
public sealed record HttpRequest(string Path);

/// <summary>A complete answer: status, content type and body (sent with a Content-Length).</summary>
public readonly record struct HttpResponse(int Status, string ContentType, string Body);

/// <summary>
/// The samples' small HTTP/1.1 server (GET, keep-alive, WebSocket upgrade) on a plain <see cref="Socket"/>,
/// built so that stopping it never answers wrongly: every request gets its real answer or a
/// connection error (refused, reset, closed before a response), never anything else.
/// </summary>
/// <remarks>
/// <para>Why not <see cref="HttpListener"/>: on Linux and macOS its managed implementation cannot stop
/// without answering wrongly. Every way it closes a connection (<c>Stop</c>, <c>Close</c>, <c>Abort</c>,
/// <c>HttpListenerResponse.Abort</c>, removing a prefix) first writes the response headers if they were
/// not sent yet, so a request that is being read, waiting in its queue or in a handler, and a request
/// just sent on an idle keep-alive connection all receive <c>200 OK</c> with an empty body; a request on a
/// kept-alive connection after its prefix is gone receives the listener's own <c>404</c>; <c>Close</c>
/// after <c>Stop</c> binds the port again for a moment (and throws if someone took it); and the only
/// way to stop accepting (removing the prefix) is one of these closes. So no order of calls lets it
/// finish the requests in flight and turn the rest away cleanly.</para>
/// <para>How this server stops: <see cref="StopAccepting"/> closes the listening socket (connections still
/// in the kernel's backlog are reset) and closes every connection that is idle between requests; a
/// connection that has begun receiving a request is served, answered with <c>Connection: close</c>, and
/// closed. <see cref="DrainAsync"/> waits for those, at most a given time; <see cref="Dispose"/> resets what
/// is left. Nothing but complete answers is ever written: a connection closed half-way leaves its
/// client with an error, never with a wrong answer. Each connection's decision (serve or close) is
/// taken under one lock against the stop, so a request that races the stop is either served in full
/// or its connection is closed unanswered.</para>
/// <para>The server runs its accept loop and connections on the <see cref="SynchronizationContext"/> that
/// calls <see cref="Start"/> (the tutorial's web server: its <c>ServiceThread</c>), or on the thread pool.</para>
/// </remarks>
public sealed class HttpServer : IDisposable
{
    private const int MaxHeadBytes = 8192;
    private static readonly byte[] s_endOfHead = "\r\n\r\n"u8.ToArray();

    private readonly IPEndPoint _endpoint;
    private readonly Func<HttpRequest, CancellationToken, ValueTask<HttpResponse>> _respond;
    private readonly Func<WebSocket, CancellationToken, Task>? _webSocket;
    private readonly object _lock = new();
    private readonly HashSet<Connection> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborted = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _listener;
    private bool _stopped;

    /// <param name="endpoint">Where to listen.</param>
    /// <param name="respond">Answers a request; its token is cancelled only when the drain gives up.</param>
    /// <param name="webSocket">Serves an accepted WebSocket until its token (cancelled when the stop begins)
    /// or the client ends it; <see langword="null"/> for a server without WebSockets.</param>
    public HttpServer(IPEndPoint endpoint, Func<HttpRequest, CancellationToken, ValueTask<HttpResponse>> respond, Func<WebSocket, CancellationToken, Task>? webSocket = null)
    {
        _endpoint = endpoint;
        _respond = respond;
        _webSocket = webSocket;
    }

    /// <summary>
    /// An address of this machine to listen on, from an IPv4 or IPv6 address (with or without brackets)
    /// or a host name (<c>localhost</c>): parsed, resolved, and bound once to a free port, so an address
    /// of another machine fails here — where a command line is read — and not when the server starts.
    /// </summary>
    /// <exception cref="FormatException">Not an address or a host name, or a name that does not resolve.</exception>
    /// <exception cref="ArgumentException">Not an address of this machine.</exception>
    public static IPAddress ParseAddress(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var address = host switch
        {
            "" => throw new FormatException("the address is empty"),
            _ when host.StartsWith('[') || host.EndsWith(']') =>
                host.Length > 2 && host[0] == '[' && host[^1] == ']' && IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                    ? v6
                    : throw new FormatException("not an IPv6 address in brackets"),
            _ when IPAddress.TryParse(host, out var ip) && (ip.AddressFamily == AddressFamily.InterNetworkV6 || host.Count(static c => c == '.') == 3) => ip,
            _ when Uri.CheckHostName(host) == UriHostNameType.Dns => Resolve(host),
            _ => throw new FormatException("not an IP address or a host name"),
        };

        try
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(address, 0));
        }
        catch (SocketException ex)
        {
            throw new ArgumentException($"cannot listen on {address}: {ex.Message}", nameof(host), ex);
        }

        return address;

        static IPAddress Resolve(string name)
        {
            try
            {
                return Dns.GetHostAddresses(name) is [var first, ..] ? first : throw new FormatException($"'{name}' has no address");
            }
            catch (SocketException ex)
            {
                throw new FormatException($"cannot resolve '{name}': {ex.Message}", ex);
            }
        }
    }

    /// <summary>The accept loop; completes once <see cref="StopAccepting"/> has closed the listening socket.</summary>
    public Task Serving { get; private set; } = Task.CompletedTask;

    /// <summary>Binds and listens (throws <see cref="SocketException"/> if the address is taken), then accepts in the background.</summary>
    public void Start()
    {
        var listener = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(_endpoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        Serving = AcceptAsync(listener);
    }

    /// <summary>
    /// Stops accepting: closes the listening socket and every connection waiting between requests, and
    /// ends the WebSocket sessions; requests already being received are still answered.
    /// </summary>
    public void StopAccepting()
    {
        Connection[] idle;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            idle = _connections.Where(static c => c.State == ConnectionState.Idle).ToArray();
            foreach (var connection in idle)
            {
                connection.State = ConnectionState.Closed;
            }

            if (_connections.Count == 0)
            {
                _drained.TrySetResult();
            }
        }

        _listener?.Dispose();
        foreach (var connection in idle)
        {
            connection.Socket.Dispose();
        }

        _stopping.Cancel();
    }

    /// <summary>Stops accepting, then waits until every connection has ended, at most <paramref name="timeout"/>; returns how many are left.</summary>
    public async Task<int> DrainAsync(TimeSpan timeout)
    {
        StopAccepting();
        try
        {
            await _drained.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Dispose resets what is left.
        }

        lock (_lock)
        {
            return _connections.Count;
        }
    }

    /// <summary>Stops accepting and resets every connection still open (their clients get an error, no answer).</summary>
    public void Dispose()
    {
        StopAccepting();
        Connection[] left;
        lock (_lock)
        {
            left = [.. _connections];
            foreach (var connection in left)
            {
                connection.State = ConnectionState.Closed;
            }
        }

        _aborted.Cancel();
        foreach (var connection in left)
        {
            Reset(connection.Socket);
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            // A zero linger makes the close a reset: the client learns at once that no answer comes.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        socket.Dispose();
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException && Volatile.Read(ref _stopped))
            {
                return;
            }

            var connection = new Connection(socket);
            lock (_lock)
            {
                if (_stopped)
                {
                    Reset(socket);
                    continue;
                }

                _connections.Add(connection);
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Connection connection)
    {
        using var stream = new NetworkStream(connection.Socket, ownsSocket: true);
        var buffer = new byte[MaxHeadBytes];
        var filled = 0;
        try
        {
            while (true)
            {
                // Idle until the first byte of the next request; StopAccepting closes idle connections.
                var headEnd = FindEndOfHead(buffer, filled);
                while (headEnd < 0)
                {
                    if (filled == buffer.Length)
                    {
                        await WriteAsync(stream, new HttpResponse(431, "text/plain; charset=utf-8", "Request header too large\n"), keepAlive: false);
                        return;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(filled), _aborted.Token);
                    if (read == 0 || !TryBegin(connection))
                    {
                        return;
                    }

                    filled += read;
                    headEnd = FindEndOfHead(buffer, filled);
                }

                if (!TryBegin(connection))
                {
                    return;
                }

                var head = ParseHead(Encoding.ASCII.GetString(buffer, 0, headEnd));
                var used = headEnd + s_endOfHead.Length;
                Buffer.BlockCopy(buffer, used, buffer, 0, filled - used);
                filled -= used;

                if (head is null || head.HasBody)
                {
                    await WriteAsync(stream, new HttpResponse(400, "text/plain; charset=utf-8", "Bad request\n"), keepAlive: false);
                    return;
                }

                if (head.Method != "GET")
                {
                    await WriteAsync(stream, new HttpResponse(405, "text/plain; charset=utf-8", "Only GET is served\n"), keepAlive: false);
                    return;
                }

                if (_webSocket is not null && head.WebSocketKey is { } key)
                {
                    await ServeWebSocketAsync(connection, stream, key, hasMoreBytes: filled > 0);
                    return;
                }

                HttpResponse response;
                var keepAlive = head.KeepAlive;
                try
                {
                    response = await _respond(new HttpRequest(head.Path), _aborted.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The handler's bug: an honest 500 rather than no answer (the handler logs its own errors).
                    response = new HttpResponse(500, "text/plain; charset=utf-8", "Internal server error\n");
                    keepAlive = false;
                }

                lock (_lock)
                {
                    keepAlive &= !_stopped;
                }

                await WriteAsync(stream, response, keepAlive);
                if (!keepAlive || !TryEnd(connection))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or WebSocketException)
        {
            // The client went away, or the drain gave up on this connection: it gets no answer.
        }
        finally
        {
            lock (_lock)
            {
                connection.State = ConnectionState.Closed;
                _connections.Remove(connection);
                if (_stopped && _connections.Count == 0)
                {
                    _drained.TrySetResult();
                }
            }
        }
    }

    /// <summary>A request has begun arriving: serve it unless the stop closed this connection first.</summary>
    private bool TryBegin(Connection connection)
    {
        lock (_lock)
        {
            if (connection.State == ConnectionState.Closed)
            {
                return false;
            }

            connection.State = ConnectionState.Busy;
            return true;
        }
    }

    /// <summary>The answer is out: wait for the next request, unless the server is stopping.</summary>
    private bool TryEnd(Connection connection)
    {
        lock (_lock)
        {
            if (_stopped || connection.State == ConnectionState.Closed)
            {
                return false;
            }

            connection.State = ConnectionState.Idle;
            return true;
        }
    }

    private async Task ServeWebSocketAsync(Connection connection, NetworkStream stream, string key, bool hasMoreBytes)
    {
        if (hasMoreBytes)
        {
            // A client sends frames only after the 101; bytes before it are not a WebSocket client.
            await WriteAsync(stream, new HttpResponse(400, "text/plain; charset=utf-8", "Bad request\n"), keepAlive: false);
            return;
        }

        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            connection.State = ConnectionState.WebSocket;
        }

        // RFC 6455 §4.2.2: the accept value is the key with the protocol's GUID, SHA-1, base64 (a
        // handshake check the protocol fixes, not a use of SHA-1 for security).
#pragma warning disable CA5350
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        var handshake = $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(handshake), _aborted.Token);
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true });
        await _webSocket!(socket, _stopping.Token);
    }

    private async Task WriteAsync(NetworkStream stream, HttpResponse response, bool keepAlive)
    {
        var body = Encoding.UTF8.GetBytes(response.Body);
        var head = string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\nContent-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\nConnection: {(keepAlive ? "keep-alive" : "close")}\r\n\r\n");
        var bytes = new byte[Encoding.ASCII.GetByteCount(head) + body.Length];
        var written = Encoding.ASCII.GetBytes(head, bytes);
        body.CopyTo(bytes, written);
        await stream.WriteAsync(bytes, _aborted.Token);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    };

    private static int FindEndOfHead(byte[] buffer, int filled) => buffer.AsSpan(0, filled).IndexOf(s_endOfHead);

    /// <summary>The request line and the headers this server looks at, or <see langword="null"/> if malformed.</summary>
    private static RequestHead? ParseHead(string text)
    {
        var lines = text.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || !parts[1].StartsWith('/') || parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            return null;
        }

        string? connection = null, upgrade = null, key = null;
        var hasBody = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                connection = value;
            }
            else if (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase))
            {
                upgrade = value;
            }
            else if (name.Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase))
            {
                key = value;
            }
            else if ((name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && value != "0") || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                hasBody = true;
            }
        }

        var query = parts[1].IndexOf('?', StringComparison.Ordinal);
        var keepAlive = parts[2] == "HTTP/1.1"
            ? connection is null || !connection.Contains("close", StringComparison.OrdinalIgnoreCase)
            : connection is not null && connection.Contains("keep-alive", StringComparison.OrdinalIgnoreCase);
        var webSocketKey = upgrade is not null && upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase) ? key : null;
        return new RequestHead(parts[0], query < 0 ? parts[1] : parts[1][..query], keepAlive, hasBody, webSocketKey);
    }

    private sealed record RequestHead(string Method, string Path, bool KeepAlive, bool HasBody, string? WebSocketKey);

    private enum ConnectionState
    {
        Idle,
        Busy,
        WebSocket,
        Closed,
    }

    private sealed class Connection(Socket socket)
    {
        public Socket Socket { get; } = socket;

        public ConnectionState State { get; set; }
    }
}
