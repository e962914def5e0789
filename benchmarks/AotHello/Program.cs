using Microsoft.Extensions.Logging;
using Mode;

// A one-service worker: it starts, logs through Mode's format, and stops itself. It uses nothing
// but Service and a minimal ILoggerProvider (no Microsoft.Extensions.Logging.Console, no Worker),
// so its size and start time are the runtime's own.
using var provider = new ModeConsoleLoggerProvider(Console.Out);
var hello = new HelloService { LoggerFactory = new SingleProviderLoggerFactory(provider) };
await hello.StartAsync();
await hello.WaitUntilStoppedAsync();
await hello.StopAsync();
return hello.IsCrashed ? 1 : 0;

/// <summary>One <c>[Task]</c> that says hello and stops the service (wired as the generator does).</summary>
internal sealed class HelloService : Service
{
    protected override void ConfigureWiring(ServiceWiring wiring)
    {
        base.ConfigureWiring(wiring);
        wiring.AddTask("HelloService.RunAsync", static (s, ct) => new ValueTask(((HelloService)s).RunAsync(ct)));
    }

    // [Task]
    private Task RunAsync(CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        Log.LogInformation("Hello from NativeAOT");
        // The stop waits for this task, so it is started, not awaited.
        _ = StopAsync(CancellationToken.None);
        return Task.CompletedTask;
    }
}
