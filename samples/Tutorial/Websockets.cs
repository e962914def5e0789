using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Mode;
using Samples;

namespace Tutorial;

/// <summary>
/// The seed's first service: a WebSocket server (here an echo server on the samples' small
/// <see cref="HttpServer"/>, which works under NativeAOT and needs no ASP.NET Core).
/// </summary>
/// <remarks>
/// On stop it stops accepting and ends every session (its token is cancelled): a client gets each
/// echo or a closed connection, never a wrong answer; plain HTTP requests get a 400.
/// </remarks>
public sealed class Websockets(int port, IPAddress bind) : Service
{
    private HttpServer? _server;

    public int Port => port;

    internal bool HangOnStop { get; init; }

    /// <summary>How long the stop waits for sessions to end before resetting their connections.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("STARTING WEBSOCKET SERVER");
        var server = new HttpServer(new IPEndPoint(bind, port), static (_, _) => new(new HttpResponse(400, "text/plain; charset=utf-8", "WebSocket only\n")), EchoAsync);
        server.Start();
        _server = server;
        AddFuture(server.Serving, "Websockets.serve");
        return default;
    }

    protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        if (HangOnStop)
        {
            Log.LogWarning("Hanging in OnStopAsync (--hang-on-stop); a second Ctrl-C forces the exit");
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        if (_server is { } server)
        {
            // Ends the accept loop and the sessions; what is still open after the drain is reset.
            await server.DrainAsync(DrainTimeout).ConfigureAwait(false);
            server.Dispose();
        }
    }

    private async Task EchoAsync(WebSocket socket, CancellationToken stopping)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, stopping).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, stopping).ConfigureAwait(false);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, stopping).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            // A client that goes away, or the stop: not a crash of the server.
            Log.LogDebug("WebSocket connection ended: {Reason}", ex.Message);
        }
    }
}
