using Mode;

// The shape of Mode's tutorial (seeds/): an app whose dependencies start after its OnStartAsync, in
// order, and stop in reverse. The Worker issue turns this into the full tutorial (servers, timers,
// Worker, NativeAOT).
var app = new App();
await app.StartAsync();
Console.WriteLine($"state: {app.State}");
await app.StopAsync();
Console.WriteLine($"state: {app.State}");
Console.WriteLine();
app.Beacon.AsGraph().ToMermaid(Console.Out);

internal sealed class App : Service
{
    private readonly Websockets _websockets = new();
    private readonly Webserver _webserver = new();
    private readonly UserCache _userCache = new();

    protected override IEnumerable<IService> OnInitDependencies() => [_websockets, _webserver, _userCache];

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("App is starting");
        return default;
    }

    protected override ValueTask OnShutdownAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("App stopped");
        return default;
    }
}

internal sealed class Websockets : Service
{
    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("STARTING WEBSOCKET SERVER");
        return default;
    }

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("Websockets stopping");
        return default;
    }
}

internal sealed class Webserver : Service
{
    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("Serving on port 8000");
        return default;
    }

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("Webserver stopping");
        return default;
    }
}

internal sealed partial class UserCache : Service
{
    private int _sweeps;

    [Timer(10)]
    private void RemoveExpired() => Console.WriteLine($"REMOVING EXPIRED USERS (sweep {++_sweeps})");

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("UserCache stopping");
        return default;
    }
}
