using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HostedWorker;

/// <summary>
/// Serves <c>GET /healthz</c> on loopback with <see cref="HttpListener"/> (no ASP.NET Core needed):
/// 200 when the report is Healthy or Degraded, 503 when Unhealthy, as ASP.NET Core's health check
/// middleware maps them; the body lists each check and the state of every service.
/// </summary>
internal sealed partial class HealthEndpoint(HealthCheckService health, IConfiguration configuration, ILogger<HealthEndpoint> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var prefix = configuration["health-url"] ?? "http://127.0.0.1:5080/";
        using var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        listener.Start();
        LogListening(log, prefix + "healthz");
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                break;
            }

            await RespondAsync(context, stoppingToken);
        }
    }

    private async Task RespondAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var response = context.Response;
        if (context.Request.Url?.AbsolutePath != "/healthz")
        {
            response.StatusCode = 404;
            return;
        }

        var report = await health.CheckHealthAsync(cancellationToken);
        var body = new StringBuilder().Append(report.Status).Append('\n');
        foreach (var (name, entry) in report.Entries)
        {
            body.Append(name).Append(": ").Append(entry.Status).Append(" - ").Append(entry.Description).Append('\n');
            foreach (var (service, state) in entry.Data)
            {
                body.Append("  ").Append(service).Append(": ").Append(state).Append('\n');
            }
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        response.StatusCode = report.Status == HealthStatus.Unhealthy ? 503 : 200;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health endpoint: {Url}")]
    private static partial void LogListening(ILogger logger, string url);
}
