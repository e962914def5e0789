using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Mode;

namespace Tutorial;

/// <summary>
/// The seed's first service: a WebSocket server (here an echo server on <see cref="HttpListener"/>,
/// which works under NativeAOT and needs no ASP.NET Core).
/// </summary>
public sealed class Websockets(int port, string bind) : Service
{
    private HttpListener? _server;

    public int Port => port;

    internal bool HangOnStop { get; init; }

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("STARTING WEBSOCKET SERVER");
        var server = new HttpListener();
        server.Prefixes.Add($"http://{bind}:{port}/");
        server.Start();
        _server = server;
        AddFuture(ServeAsync(server, StoppingToken), "Websockets.serve");
        return default;
    }

    protected override async ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        if (HangOnStop)
        {
            Log.LogWarning("Hanging in OnStopAsync (--hang-on-stop); a second Ctrl-C forces the exit");
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        // Ends the accept loop; open connections end with StoppingToken.
        _server?.Close();
    }

    private async Task ServeAsync(HttpListener server, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await server.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ShouldStop && ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (!context.Request.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                context.Response.Close();
                continue;
            }

            _ = AddFuture(EchoAsync(context, stopping), "Websockets.echo");
        }
    }

    private async Task EchoAsync(HttpListenerContext context, CancellationToken stopping)
    {
        try
        {
            var accepted = await context.AcceptWebSocketAsync(subProtocol: null).ConfigureAwait(false);
            using var socket = accepted.WebSocket;
            var buffer = new byte[4096];
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
        catch (Exception ex) when (ex is WebSocketException or HttpListenerException or OperationCanceledException)
        {
            // A client that goes away, or the stop: not a crash of the server.
            Log.LogDebug("WebSocket connection ended: {Reason}", ex.Message);
        }
    }
}
