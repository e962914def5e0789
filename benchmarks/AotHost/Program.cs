using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The Generic Host counterpart of AotHello: empty builder + console logging + one hosted service
// that logs and stops the application.
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Logging.AddConsole();
builder.Services.AddHostedService<HelloHostedService>();
using var host = builder.Build();
await host.RunAsync();
return 0;

internal sealed partial class HelloHostedService(ILogger<HelloHostedService> log, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogHello(log);
        lifetime.StopApplication();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hello from NativeAOT")]
    private static partial void LogHello(ILogger logger);
}
