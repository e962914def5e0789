using Microsoft.Extensions.Logging;

// The floor under AotHello: background work on the thread pool that logs one line through an
// ILogger (Mode's format, the same provider as AotHello) and sleeps with a cancellation token.
// An ILogger call is a generic virtual method call, which brings in NativeAOT's type loader, so
// any app that logs through Microsoft.Extensions.Logging is at least this big.
using var provider = new ModeConsoleLoggerProvider(Console.Out);
var log = provider.CreateLogger("HelloService");
using var stopping = new CancellationTokenSource();
await Task.Run(async () =>
{
    log.LogInformation("Hello from NativeAOT");
    await Task.Delay(1, stopping.Token);
});
stopping.Cancel();
return 0;
