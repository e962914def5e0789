using HostedWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mode.Diagnostics;
using Mode.Hosting;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

// Mode's tutorial services inside the .NET Generic Host. The host starts the tree and stops it on
// Ctrl-C / SIGTERM (exit code 0); a crash anywhere in the tree stops the host with exit code 1;
// GET /healthz answers 200 (Healthy, Degraded) or 503 (Unhealthy) from the tree's states.
//
//   dotnet run --project samples/HostedWorker
//   curl http://127.0.0.1:5080/healthz
//   dotnet run --project samples/HostedWorker -- --crash-after 3     # exits 1 after ~3 s
//   dotnet run --project samples/HostedWorker -- --health-url http://127.0.0.1:5081/
//   dotnet run --project samples/HostedWorker -- --trace            # prints the start and stop spans
var builder = Host.CreateApplicationBuilder(Settings.WithFlagValues(args));
if (Settings.Check(builder.Configuration) is { } error)
{
    // A bad value is a usage error before anything starts, as for the tutorial's Worker.
    Console.Error.Write($"HostedWorker: error: {error}\n\n{Settings.Usage}");
    return 2;
}

if (Settings.Trace(builder.Configuration))
{
    // Mode's start-up and shut-down spans come from the activity source "Mode": one span per service
    // start and stop, nested as the tree is. Any OpenTelemetry exporter shows them; this one prints.
    builder.Services.AddOpenTelemetry()
        .ConfigureResource(static resource => resource.AddService("HostedWorker"))
        .WithTracing(static tracing => tracing.AddSource(ModeActivities.SourceName).AddConsoleExporter());
}

builder.Services.AddModeService<App>();
builder.Services.AddHealthChecks().AddModeHealthCheck(tags: ["live", "ready"]);
builder.Services.AddHostedService<HealthEndpoint>();

// Mode.Hosting sets Environment.ExitCode to 1 when the tree crashes.
await builder.Build().RunAsync();
return Environment.ExitCode;
