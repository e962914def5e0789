using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Mode;

namespace Tutorial;

/// <summary>
/// The seed's web server, which "we want to run in a separate thread so we use ServiceThread": every
/// hook, the accept loop and every request handler run on this service's own thread (the answer says
/// which thread), so the handlers need no locks.
/// </summary>
public sealed class Webserver(int port, string bind, UserCache users) : ServiceThread
{
    private readonly HashSet<Task> _handlers = [];
    private readonly CancellationTokenSource _shutdown = new();
    private HttpListener? _server;
    private Task? _serving;

    public int Port => port;

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        // We are on this service's thread; awaits below come back to it.
        var server = new HttpListener();
        server.Prefixes.Add($"http://{bind}:{port}/");
        server.Start();
        _server = server;
        _serving = AddFuture(ServeAsync(server), "Webserver.serve");
        Log.LogInformation("Serving on port {Port}", port);
        return default;
    }

    protected override async ValueTask OnThreadStopAsync(CancellationToken cancellationToken)
    {
        Log.LogInformation("Closing server");
        _server?.Stop();
        Log.LogInformation("Waiting for server to close handle");
        if (_serving is not null)
        {
            await _serving;
        }

        Log.LogInformation("Shutting down web application");
        await _shutdown.CancelAsync();
        Log.LogInformation("Waiting for handler to shut down");
        await Task.WhenAll(_handlers);
        Log.LogInformation("Cleanup");
        _server?.Close();
        _shutdown.Dispose();
    }

    private async Task ServeAsync(HttpListener server)
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await server.GetContextAsync();
            }
            catch (Exception ex) when (ShouldStop && ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var handler = HandleAsync(context, _shutdown.Token);
            _handlers.Add(handler);
            _ = handler.ContinueWith(t => _handlers.Remove(t), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.FromCurrentSynchronizationContext());
        }
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath ?? "/";
            string body;
            if (path == "/")
            {
                body = $"Hello from Mode for .NET: {Label} on thread {Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture)}\n";
            }
            else if (path.StartsWith("/users/", StringComparison.Ordinal) && path.Length > "/users/".Length)
            {
                var user = await users.LookupAsync(path["/users/".Length..], cancellationToken);
                body = $"{{\"id\":\"{user.Id}\",\"name\":\"{user.Name}\"}}\n";
                response.ContentType = "application/json";
            }
            else
            {
                response.StatusCode = 404;
                body = "Not found\n";
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes, cancellationToken);
            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            Log.LogDebug("Request ended: {Reason}", ex.Message);
            response.Abort();
        }
    }
}
