using System.Net;
using System.Net.Sockets;
using Mode;

namespace Tutorial;

/// <summary>
/// The "real" service that <c>App.StartAsync</c> runs (the seed's <c>AppService</c>): its children are
/// the app's websockets, web server and user cache, started in that order and stopped in reverse.
/// </summary>
public sealed class AppService(App app) : Service
{
    protected override IEnumerable<IService> OnInitDependencies() => [app.Websockets, app.Webserver, app.UserCacheNode];

    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("App is starting");
        if (app.GraphFile is { } path)
        {
            // "Beacons": the beacon tree, from the Worker at its root, as a graph.
            var beacon = app.Beacon.Root;
            Console.WriteLine($"WRITING GRAPH TO {path}");
            var writer = new StreamWriter(path);
            await using (writer.ConfigureAwait(false))
            {
                if (path.EndsWith(".mmd", StringComparison.OrdinalIgnoreCase))
                {
                    beacon.AsGraph().ToMermaid(writer);
                }
                else
                {
                    beacon.AsGraph().ToDot(writer);
                }
            }
        }
    }

    protected override ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"App is running: http://{app.WebHost}:{app.WebPort}/ and ws://{app.WebHost}:{app.WebsocketPort}/ (Ctrl-C to stop)");
        return default;
    }
}

/// <summary>
/// The tutorial's entry point object (the seed's <c>App(ServiceProxy)</c>): reusable, cheap to create
/// at any time, and it builds its real service and the services it owns only when first used — so
/// the command line can still change the ports after <c>new App()</c>.
/// </summary>
public sealed class App : ServiceProxy
{
    private readonly Lazy<AppService> _service;
    private readonly Lazy<Websockets> _websockets;
    private readonly Lazy<Webserver> _webserver;
    private readonly Lazy<UserCache> _userCache;
    private readonly Lazy<IService> _userCacheNode;

    public App()
    {
        _service = new(() => new AppService(this));
        _websockets = new(() => new Websockets(WebsocketPort, WebBind) { HangOnStop = HangOnStop });
        _webserver = new(() => new Webserver(WebPort, WebBind, UserCache));
        _userCache = new(() => new UserCache { CrashAfterStart = CrashAfterStart });
        _userCacheNode = new(() => Supervise switch
        {
            "one-for-one" => new OneForOneSupervisor([UserCache]),
            "crashing" => new CrashingSupervisor([UserCache]),
            _ => UserCache,
        });
    }

    /// <summary>The web server's port (<c>--port</c>).</summary>
    public int WebPort { get; set; } = 8000;

    /// <summary>The address both servers listen on (<c>--bind</c>).</summary>
    public IPAddress WebBind { get; set; } = IPAddress.Loopback;

    /// <summary>The WebSocket echo server's port (<c>--websocket-port</c>).</summary>
    public int WebsocketPort { get; set; } = 8001;

    /// <summary>Where to write the service graph at start (<c>--graph</c>), or <see langword="null"/>.</summary>
    public string? GraphFile { get; set; }

    internal bool CrashAfterStart { get; set; }

    internal bool HangOnStop { get; set; }

    /// <summary>A supervisor strategy for UserCache (<c>--supervise</c>), or <see langword="null"/>.</summary>
    internal string? Supervise { get; set; }

    /// <summary>UserCache, or the supervisor around it.</summary>
    internal IService UserCacheNode => _userCacheNode.Value;

    /// <summary>The address for the "App is running" line's URLs.</summary>
    internal string WebHost =>
        WebBind.Equals(IPAddress.Any) || WebBind.Equals(IPAddress.IPv6Any) ? "localhost"
        : WebBind.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{WebBind}]"
        : WebBind.ToString();

    public Websockets Websockets => _websockets.Value;

    public Webserver Webserver => _webserver.Value;

    public UserCache UserCache => _userCache.Value;

    protected override IService Service => _service.Value;
}
