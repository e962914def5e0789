using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Mode;
using Samples;

namespace Tutorial;

/// <summary>
/// The seed's web server, which "we want to run in a separate thread so we use ServiceThread": every
/// hook, the accept loop and every request handler run on this service's own thread (the answer says
/// which thread), so the handlers need no locks.
/// </summary>
/// <remarks>
/// Stopping never answers wrongly: the server stops accepting (new connections are refused, idle
/// keep-alive connections closed), the requests it is already receiving get their real answer with
/// <c>Connection: close</c> within <see cref="DrainTimeout"/>, and only then is the rest reset — a
/// client gets the right answer or a connection error, nothing else (see <see cref="HttpServer"/>).
/// </remarks>
public sealed class Webserver(int port, IPAddress bind, UserCache users) : ServiceThread
{
    private HttpServer? _server;

    public int Port => port;

    /// <summary>How long the stop waits for requests in flight before resetting their connections.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        // We are on this service's thread; the server's loops and handlers come back to it.
        var server = new HttpServer(new IPEndPoint(bind, port), RespondAsync);
        server.Start();
        _server = server;
        AddFuture(server.Serving, "Webserver.serve");
        Log.LogInformation("Serving on port {Port}", port);
        return default;
    }

    protected override async ValueTask OnThreadStopAsync(CancellationToken cancellationToken)
    {
        if (_server is not { } server)
        {
            return;
        }

        Log.LogInformation("Closing server");
        server.StopAccepting();
        Log.LogInformation("Waiting for server to close handle");
        await server.Serving;
        Log.LogInformation("Shutting down web application"); // the seed's app.shutdown(): nothing long-lived to end here
        Log.LogInformation("Waiting for handler to shut down");
        var left = await server.DrainAsync(DrainTimeout);
        if (left > 0)
        {
            Log.LogWarning("{Count} requests still running after {Seconds} s: resetting their connections", left, DrainTimeout.TotalSeconds);
        }

        Log.LogInformation("Cleanup");
        server.Dispose();
    }

    private async ValueTask<HttpResponse> RespondAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var path = request.Path;
        if (path == "/")
        {
            return new(200, "text/plain; charset=utf-8", $"Hello from Mode for .NET: {Label} on thread {Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture)}\n");
        }

        if (path.StartsWith("/users/", StringComparison.Ordinal) && path.Length > "/users/".Length)
        {
            var user = await users.LookupAsync(path["/users/".Length..], cancellationToken);
            return new(200, "application/json", $"{{\"id\":\"{user.Id}\",\"name\":\"{user.Name}\"}}\n");
        }

        return new(404, "text/plain; charset=utf-8", "Not found\n");
    }
}
