using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Samples;

namespace HostedWorker;

/// <summary>
/// Serves <c>GET /healthz</c> on loopback with the samples' small <see cref="HttpServer"/> (no ASP.NET
/// Core needed): 200 when the report is Healthy or Degraded, 503 when Unhealthy, as ASP.NET Core's
/// health check middleware maps them; the body lists each check and the state of every service.
/// </summary>
/// <remarks>
/// The host stops it first (hosted services stop in reverse order): it stops accepting, answers the
/// requests in flight within <see cref="DrainTimeout"/>, then resets the rest — a probe gets a real
/// report or a connection error, never a wrong answer (see <see cref="HttpServer"/>).
/// </remarks>
internal sealed partial class HealthEndpoint(HealthCheckService health, IConfiguration configuration, ILogger<HealthEndpoint> log)
    : BackgroundService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var server = new HttpServer(Settings.HealthEndpoint(configuration), RespondAsync);
        server.Start();
        LogListening(log, Settings.HealthUrl(configuration) + "healthz");
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }

        var left = await server.DrainAsync(DrainTimeout);
        if (left > 0)
        {
            LogDrainTimedOut(log, left, DrainTimeout.TotalSeconds);
        }
    }

    private async ValueTask<HttpResponse> RespondAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.Path != "/healthz")
        {
            return new(404, "text/plain; charset=utf-8", "Not found\n");
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

        return new(report.Status == HealthStatus.Unhealthy ? 503 : 200, "text/plain; charset=utf-8", body.ToString());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health endpoint: {Url}")]
    private static partial void LogListening(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} health requests still running after {Seconds} s: resetting their connections")]
    private static partial void LogDrainTimedOut(ILogger logger, int count, double seconds);
}
